package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ferry plan} and {@code ferry host evacuate} against an in-process controller without hosts:
 * bad documents, unknown VMs, plans and hosts are refused as scripts see it (one error line with
 * the code, the code's exit status), and an empty plan list prints its header.
 */
class PlanCommandTest {
    static Path dir;
    static FerryController controller;
    static String[] conn;

    @BeforeAll
    static void start() {
        dir = TestDirs.create("plan-cli");
        TestPki pki = TestPki.create(dir.resolve("pki"));
        controller = FerryController.start(new ServerConfig("127.0.0.1:0", dir.resolve("controller").toString(),
                pki.hostDir("controller").toString(), new ServerConfig.Database("jdbc:sqlite:" + dir.resolve("ferry.db"), null, null),
                List.of(), 60));
        conn = new String[] {"--server", "https://127.0.0.1:" + controller.port(), "--tls-dir", pki.clientDir().toString()};
    }

    @AfterAll
    static void stop() {
        if (controller != null) controller.close();
        TestDirs.deleteQuietly(dir);
    }

    static String[] args(String... a) {
        String[] out = new String[a.length + conn.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(conn, 0, out, a.length, conn.length);
        return out;
    }

    @Test
    void badDocumentsAreInvalidPlanNamingTheField() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: x\nvms:\n  - {vm: web-1, to: auto, mode: teleport}\n");
        Cli.Result r = Cli.run(args("plan", "validate", bad.toString())).assertError(ErrorCode.INVALID_PLAN.exitCode(), "INVALID_PLAN");
        assertThat(r.err()).contains("vms[0].mode");
        Cli.run(args("plan", "create", dir.resolve("missing.yaml").toString())).assertError(ErrorCode.INVALID_PLAN.exitCode(), "INVALID_PLAN");
        Path unknownVm = Files.writeString(dir.resolve("unknown.yaml"), "name: x\nvms:\n  - {vm: ghost, to: auto}\n");
        assertThat(Cli.run(args("plan", "create", unknownVm.toString())).assertError(ErrorCode.VM_NOT_FOUND.exitCode(), "VM_NOT_FOUND")
                .err()).contains("ghost");
    }

    @Test
    void unknownPlansAndHostsAreNotFoundAndAnEmptyListPrintsItsHeader() {
        Cli.run(args("plan", "show", "nope")).assertError(ErrorCode.PLAN_NOT_FOUND.exitCode(), "PLAN_NOT_FOUND");
        Cli.run(args("plan", "run", "nope")).assertError(ErrorCode.PLAN_NOT_FOUND.exitCode(), "PLAN_NOT_FOUND");
        Cli.run(args("host", "evacuate", "nowhere", "--dry-run")).assertError(ErrorCode.HOST_NOT_FOUND.exitCode(), "HOST_NOT_FOUND");
        assertThat(Cli.run(args("plan", "list")).assertOk().out()).startsWith("ID").contains("NAME").contains("ETA");
    }
}
