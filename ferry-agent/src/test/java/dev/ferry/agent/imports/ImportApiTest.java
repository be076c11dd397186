package dev.ferry.agent.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.testing.SerialLog;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmState;
import dev.ferry.imports.ImportOptions;
import dev.ferry.imports.api.ExportRequest;
import dev.ferry.imports.api.ImportClient;
import dev.ferry.imports.api.ImportRequest;
import dev.ferry.imports.api.JobView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Import and export through a real agent's API: a VMware VM whose disk the test guest wrote is
 * imported with {@code start}, converted into the pool, defined and booted, and the guest finds
 * every record; the stopped VM is exported to an OVA; refusals (name taken, hostile descriptor,
 * running VM) leave the pool as it was.
 */
@Tag("qemu")
@Timeout(300)
class ImportApiTest {
    TestAgent agent;
    AgentClient client;
    ImportClient imports;
    Path src;

    @BeforeEach
    void setUp() throws IOException {
        agent = TestAgent.start();
        client = agent.client();
        imports = new ImportClient(agent.pki().clientSsl(), agent.url());
        src = Files.createDirectories(agent.dir().resolve("src"));
    }

    @AfterEach
    void tearDown() {
        if (agent != null) agent.close();
    }

    @Test
    void importedVmwareVmBootsWithItsDataAndExportsToOva() throws Exception {
        long seq = writeRecords();
        qemuImg("convert", "-q", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse",
                agent.poolDir().resolve("writer.img").toString(), src.resolve("app.vmdk").toString());
        Files.writeString(src.resolve("app.vmx"), """
                .encoding = "UTF-8"
                config.version = "8"
                virtualHW.version = "19"
                displayName = "App"
                guestOS = "debian11-64"
                numvcpus = "1"
                memsize = "128"
                sata0.present = "TRUE"
                sata0:0.present = "TRUE"
                sata0:0.fileName = "app.vmdk"
                ethernet0.present = "TRUE"
                ethernet0.virtualDev = "vmxnet3"
                ethernet0.networkName = "VM Network"
                ethernet0.addressType = "static"
                ethernet0.address = "00:50:56:00:00:2a"
                """);
        BootSpec boot = new BootSpec(TestGuest.kernel().toString(), TestGuest.initrd().toString(),
                TestGuest.BASE_CMDLINE + " ferry.disk=vda ferry.diskro=1", null);
        ImportOptions o = new ImportOptions(null, Map.of("VM Network", "user"), null, null, null, null, null, null, null, boot, null, null);
        JobView job = await(imports.startImport(new ImportRequest(src.resolve("app.vmx").toString(), null, o, true, null, null)));
        assertThat(job.state()).as("%s", job.errorMessage()).isEqualTo("succeeded");
        assertThat(job.doneBytes()).isEqualTo(job.totalBytes()).isPositive();
        assertThat(job.result().path("vm").path("name").asText()).isEqualTo("app");
        assertThat(job.result().path("report").path("disks").get(0).path("identical").asBoolean()).isTrue();
        assertThat(client.show("app").state()).isEqualTo(VmState.RUNNING);
        assertThat(client.show("app").spec().nics().get(0).mac()).isEqualTo("00:50:56:00:00:2a");
        SerialLog serial = agent.serialLog("app");
        assertThat(serial.awaitLine("^DISK-VERIFY ", Duration.ofSeconds(90))).contains("max_seq=" + seq + " bad=0 missing=0");

        assertThatThrownBy(() -> imports.startExport("app", new ExportRequest(null, "ova", agent.dir().resolve("app.ova").toString())))
                .isInstanceOf(FerryException.class).hasMessageContaining("stop it before exporting");
        client.stop("app", new StopRequest(30, false));
        JobView exp = await(imports.startExport("app", new ExportRequest(null, "ova", agent.dir().resolve("app.ova").toString())));
        assertThat(exp.state()).as("%s", exp.errorMessage()).isEqualTo("succeeded");
        assertThat(Files.size(agent.dir().resolve("app.ova"))).isPositive();

        List<String> pool = list(agent.poolDir());
        assertThatThrownBy(() -> imports.startImport(new ImportRequest(src.resolve("app.vmx").toString(), null, o.withName("app"), false, null, null)))
                .isInstanceOf(FerryException.class).hasMessageContaining("already defined");
        Files.writeString(src.resolve("app.vmdk"), "# Disk DescriptorFile\nversion=1\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\n"
                + "RW 8 FLAT \"/etc/shadow\" 0\n");
        JobView evil = await(imports.startImport(new ImportRequest(src.resolve("app.vmx").toString(), null, o.withName("evil"), false, null, null)));
        assertThat(evil.state()).isEqualTo("failed");
        assertThat(evil.errorCode()).isEqualTo("UNSAFE_IMAGE");
        assertThat(evil.errorMessage()).contains("/etc/shadow");
        assertThat(list(agent.poolDir())).isEqualTo(pool);
        assertThatThrownBy(() -> client.show("evil")).hasMessageContaining("no VM named");
    }

    /** Boots the test guest on a raw pool disk until it has written records; returns the last seq. */
    long writeRecords() {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "writer.img", 32);
        client.define(TestGuest.spec("writer", 128, "ferry.disk=vda ferry.diskrate=300", disk));
        client.start("writer");
        SerialLog serial = agent.serialLog("writer");
        serial.awaitLine("^DISK-OK ", Duration.ofSeconds(90));
        client.stop("writer", new StopRequest(30, false));
        Matcher m = Pattern.compile("seq=(\\d+) bad=0").matcher(serial.awaitLine("^DISK-STOP ", Duration.ofSeconds(5)));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    JobView await(JobView job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JobView v = job;
        while (!v.isFinished() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            v = imports.job(job.id());
        }
        assertThat(v.isFinished()).as("job %s finished", v).isTrue();
        return v;
    }

    static void qemuImg(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-img"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
