package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code ferry ARGS} in-process through {@link FerryCli#execute} and captures what it prints.
 * System.out and System.err are global, so runs are serialized.
 */
final class Cli {
    record Result(int exit, String out, String err) {
        /** Asserts a refusal as scripts see it: the exit code, and one line {@code error: ... [CODE]}, no stack trace. */
        Result assertError(int exitCode, String code) {
            assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(exitCode);
            assertThat(err.strip()).as("stderr").matches("error: [^\\n]+ \\[" + code + "]")
                    .doesNotContain("\tat ").doesNotContainPattern("\\bat (java|dev|picocli)\\.");
            assertThat(out).as("stdout").isEmpty();
            return this;
        }

        Result assertOk() {
            assertThat(exit).as("exit code; stderr: %s; stdout: %s", err, out).isZero();
            return this;
        }
    }

    private Cli() {}

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            exit = FerryCli.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Result r = new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldOut.println("$ ferry " + String.join(" ", args) + "  -> exit " + r.exit());
        return r;
    }
}
