package dev.ferry.qemu.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real {@code qemu-system-x86_64} with no machine ({@code -machine none}: QMP
 * works, nothing boots, so it starts in milliseconds). The fake peer proves the edge cases; this
 * proves the client speaks the real dialect. QEMU missing is a failure, not a skip: CI installs it.
 */
@Tag("qemu")
class QmpClientQemuTest {
    private static final String QEMU = "qemu-system-x86_64";
    private static final Duration SHORT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Process qemu;
    private QmpClient client;

    @BeforeEach
    void startQemu() throws IOException {
        Path binary = findOnPath(QEMU);
        if (binary == null) {
            fail(QEMU + " is not on PATH (" + System.getenv("PATH") + "); these tests need QEMU"
                    + " (Debian/Ubuntu: apt-get install qemu-system-x86)");
        }
        Path socket = dir.resolve("qmp.sock");
        Path log = dir.resolve("qemu.log");
        qemu = new ProcessBuilder(binary.toString(), "-machine", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            client = QmpClient.connect(socket, SHORT);
        } catch (RuntimeException e) {
            fail("could not connect to QEMU (" + (qemu.isAlive() ? "running" : "exited " + exitCode()) + "): "
                    + e.getMessage() + "; QEMU output: " + Files.readString(log));
        }
    }

    @AfterEach
    void stopQemu() throws InterruptedException {
        if (client != null) client.close();
        if (qemu != null) {
            qemu.destroyForcibly();
            qemu.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void greetsWithAModernVersionAndAnswersQueries() {
        assertThat(client.version().isAtLeast(7, 0)).as("QEMU version %s", client.version()).isTrue();
        assertThat(client.greeting().path("version").path("package").isTextual()).isTrue();

        JsonNode status = client.execute("query-status");
        assertThat(status.path("status").asText()).isEqualTo("running");

        List<String> commands = new ArrayList<>();
        client.execute("query-commands").forEach(c -> commands.add(c.path("name").asText()));
        assertThat(commands).contains("query-status", "migrate", "stop", "cont", "blockdev-mirror");
    }

    @Test
    void anUnknownCommandIsRejectedWithCommandNotFound() {
        assertThatThrownBy(() -> client.execute("ferry-no-such-command"))
                .isInstanceOfSatisfying(QmpCommandException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.description()).contains("ferry-no-such-command");
                })
                .hasMessageStartingWith("QEMU rejected 'ferry-no-such-command': CommandNotFound: ");
        assertThat(client.execute("query-status").path("running").asBoolean()).isTrue();
    }

    @Test
    void stopAndContEmitStopAndResumeEvents() {
        CompletableFuture<QmpEvent> stopped = client.expectEvent(e -> e.is("STOP"), SHORT);
        client.execute("stop");
        assertThat(stopped.join().timestamp()).isNotNull();
        assertThat(client.execute("query-status").path("status").asText()).isEqualTo("paused");

        CompletableFuture<QmpEvent> resumed = client.expectEvent(e -> e.is("RESUME"), SHORT);
        client.execute("cont");
        assertThat(resumed.join().name()).isEqualTo("RESUME");
        assertThat(client.execute("query-status").path("status").asText()).isEqualTo("running");
    }

    @Test
    void killingQemuMidWaitFailsTheWaitPromptly() {
        CompletableFuture<QmpEvent> waiting = CompletableFuture.supplyAsync(
                () -> client.awaitEvent(e -> e.is("SHUTDOWN"), Duration.ofSeconds(60)));
        await().pollDelay(Duration.ofMillis(200)).until(() -> true); // let the wait begin

        qemu.destroyForcibly(); // SIGKILL: no SHUTDOWN event, the socket just closes

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        Throwable failure = catchThrowable(waiting::join);
        assertThat(failure).isInstanceOf(CompletionException.class);
        assertThat(failure.getCause()).isInstanceOf(QmpDisconnectedException.class)
                .hasMessageStartingWith("The connection to QEMU at " + dir.resolve("qmp.sock") + " was lost: ");
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.execute("query-status")).isInstanceOf(QmpDisconnectedException.class);
    }

    private String exitCode() {
        try {
            return String.valueOf(qemu.waitFor(1, TimeUnit.SECONDS) ? qemu.exitValue() : "?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
