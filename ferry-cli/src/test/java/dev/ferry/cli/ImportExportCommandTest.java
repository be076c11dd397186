package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.api.error.ExitCodes;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ferry import} and {@code ferry export} end to end, in-process: CLI -> controller job ->
 * agent job -> qemu-img, with the exit codes and one-line errors scripts rely on. A bare Hyper-V
 * VHDX described by flags is imported (no guest boot needed), listed, exported back to VHDX;
 * a hostile VMDK is refused with UNSAFE_IMAGE and exit 2.
 */
@Timeout(180)
class ImportExportCommandTest {
    TestAgent agent;
    FerryController controller;
    Path src;

    @BeforeEach
    void setUp() throws Exception {
        agent = TestAgent.start();
        controller = FerryController.start(OneHostController.config(agent));
        src = Files.createDirectories(agent.dir().resolve("src"));
    }

    @AfterEach
    void tearDown() {
        if (controller != null) controller.close();
        if (agent != null) agent.close();
    }

    String[] args(String... verb) { return OneHostController.args(controller, agent, verb); }

    @Test
    void importsABareVhdxAsAJobAndExportsItBack() throws Exception {
        Path raw = src.resolve("base.raw");
        run("qemu-img", "create", "-q", "-f", "raw", raw.toString(), "8M");
        run("dd", "if=/dev/urandom", "of=" + raw, "bs=64k", "count=8", "conv=notrunc", "status=none");
        run("qemu-img", "convert", "-q", "-f", "raw", "-O", "vhdx", raw.toString(), src.resolve("DC01.vhdx").toString());

        Cli.Result dry = Cli.run(args("import", src.resolve("DC01.vhdx").toString(), "--host", "host-1", "--memory", "128",
                "--generation", "2", "--dry-run")).assertOk();
        assertThat(dry.out()).contains("\"name\" : \"dc01\"", "\"firmware\" : \"uefi\"");
        assertThat(Files.list(agent.poolDir()).toList()).isEmpty();

        Cli.Result imp = Cli.run(args("import", src.resolve("DC01.vhdx").toString(), "--host", "host-1", "--memory", "128",
                "--cpus", "2", "--generation", "1", "--format", "raw")).assertOk();
        System.out.println(imp.out());
        assertThat(imp.out()).contains("imported 'dc01' (shutoff)", "DC01.vhdx (vhdx)", "compared identical");
        assertThat(agent.client().show("dc01").spec().vcpus()).isEqualTo(2);
        assertThat(identical(raw, "raw", agent.poolDir().resolve("dc01-disk0.img"), "raw")).isTrue();
        assertThat(Cli.run(args("migration", "list")).assertOk().out()).contains("dc01");

        Path out = Files.createDirectories(agent.dir().resolve("out"));
        Cli.Result exp = Cli.run(args("export", "dc01", "--format", "vhdx", "--out", out.toString())).assertOk();
        assertThat(exp.out()).contains("exported to");
        assertThat(identical(raw, "raw", out.resolve("dc01-disk0.vhdx"), "vhdx")).isTrue();

        Cli.run(args("import", src.resolve("DC01.vhdx").toString(), "--host", "host-1", "--memory", "128"))
                .assertError(ExitCodes.CONFLICT, "VM_EXISTS");
    }

    @Test
    void aRestartedControllerFollowsARunningImportAgain() throws Exception {
        Path raw = src.resolve("big.raw");
        run("dd", "if=/dev/urandom", "of=" + raw, "bs=1M", "count=512", "status=none");
        Cli.Result started = Cli.run(args("import", raw.toString(), "--host", "host-1", "--memory", "128", "--name", "big",
                "--detach", "-o", "json")).assertOk();
        assertThat(started.out()).contains("\"mode\" : \"import\"");
        String id = dev.ferry.api.json.Json.mapper().readTree(started.out()).path("id").asText();
        ServerConfig config = OneHostController.config(agent);
        controller.close();
        controller = FerryController.start(config);
        var c = new dev.ferry.api.client.ControllerClient(agent.pki().clientSsl(), java.net.URI.create("https://127.0.0.1:" + controller.port()));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        var v = c.migration(id);
        while (!v.isFinished() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            v = c.migration(id);
        }
        assertThat(v.mode()).isEqualTo("import");
        assertThat(v.state()).as("%s", v.errorMessage()).isEqualTo("succeeded");
        assertThat(v.events()).anySatisfy(e -> assertThat(e.message()).contains("following agent job"));
        assertThat(v.events()).anySatisfy(e -> assertThat(e.message()).contains("imported 'big'", "compared identical"));
        assertThat(agent.client().show("big").spec().disks()).hasSize(1);
    }

    @Test
    void hostileSourceIsRefusedWithOneLineAndExit2() throws Exception {
        Files.writeString(src.resolve("evil.vmdk"), "# Disk DescriptorFile\nversion=1\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\n"
                + "RW 8 FLAT \"/etc/passwd\" 0\n");
        refused(Cli.run(args("import", src.resolve("evil.vmdk").toString(), "--host", "host-1", "--memory", "128", "--name", "evil")),
                ExitCodes.USAGE, "VMDK descriptor evil.vmdk extent names '/etc/passwd': absolute paths are refused.* \\[UNSAFE_IMAGE]");
        assertThat(Files.list(agent.poolDir()).toList()).isEmpty();
        Cli.run(args("import", src.resolve("nothing.ova").toString(), "--host", "host-1", "--name", "x"))
                .assertError(ExitCodes.USAGE, "IMAGE_NOT_FOUND");
        Cli.run(args("import", src.resolve("evil.vmdk").toString(), "--host", "nowhere", "--name", "x"))
                .assertError(ExitCodes.NOT_FOUND, "HOST_NOT_FOUND");
    }

    /**
     * The in-process agent logs a failed job to the same stderr; the CLI's own output is its one last
     * line. A job that failed after it started has printed its progress and summary on stdout.
     */
    static void refused(Cli.Result r, int exit, String lastLine) {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().strip().lines().reduce((a, b) -> b).orElse("")).matches("error: " + lastLine);
    }

    static void run(String... cmd) throws Exception {
        assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).isZero();
    }

    static boolean identical(Path a, String fa, Path b, String fb) throws Exception {
        return new ProcessBuilder("qemu-img", "compare", "-q", "-f", fa, "-F", fb, a.toString(), b.toString()).start().waitFor() == 0;
    }
}
