package dev.ferry.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.client.JsonHttp;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent refuses what it cannot run, with the catalogue's code and a message that names the
 * problem, and a refused request changes nothing: no VM directory appears in the state directory
 * and the VM list stays empty. No guest boots here.
 */
@Tag("qemu") // the agent asks QEMU for its capabilities at start-up
@Timeout(60)
class SpecRefusalTest {
    static TestAgent agent;
    static AgentClient client;
    static Path disk;

    @BeforeAll
    static void startAgent() {
        agent = TestAgent.start();
        client = agent.client();
        disk = TestGuest.createRawDisk(agent.poolDir(), "data.img", 16);
    }

    @AfterAll
    static void closeAgent() {
        if (agent != null) agent.close();
    }

    @AfterEach
    void nothingWasLeftBehind() {
        assertThat(client.list()).isEmpty();
    }

    @Test
    void badName() {
        assertRefusedAndNothingCreated("Bad_Name", s -> rename(s, "Bad_Name"), ErrorCode.INVALID_SPEC, "name must match", "'Bad_Name'");
        assertRefusedAndNothingCreated("..", s -> rename(s, ".."), ErrorCode.INVALID_SPEC, "name must match");
    }

    @Test
    void missingFormat() {
        assertRefusedAndNothingCreated("nofmt", s -> s.withDisks(List.of(new DiskSpec("data", disk.toString(), null, null, null))),
                ErrorCode.INVALID_SPEC, "disks[0].format is required");
    }

    @Test
    void unknownFormatIsRefusedByName() {
        // The typed client cannot even express it: post the JSON by hand.
        ObjectNode json = Json.mapper().valueToTree(TestGuest.spec("vmdk", 96, "", disk));
        ((ObjectNode) json.withArray("disks").get(0)).put("format", "vmdk");
        JsonHttp http = new JsonHttp(agent.pki().clientSsl(), agent.url(), "agent", ErrorCode.AGENT_UNREACHABLE, Duration.ofSeconds(30));

        FerryException e = catchThrowableOfType(FerryException.class, () -> http.post("/v1/vms", json, VmInfo.class));

        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FORMAT);
        assertThat(e.getMessage()).contains("'vmdk'", "raw", "qcow2");
        assertNothingCreated("vmdk");
    }

    @Test
    void missingImageFile() {
        String missing = agent.poolDir().resolve("missing.img").toString();
        assertRefusedAndNothingCreated("noimg", s -> s.withDisks(List.of(s.disks().get(0).withPath(missing))),
                ErrorCode.IMAGE_NOT_FOUND, missing, "does not exist");
    }

    @Test
    void missingKernel() {
        assertRefusedAndNothingCreated("nokernel", s -> withBoot(s, new BootSpec("/nonexistent/vmlinuz", null, null, null)),
                ErrorCode.IMAGE_NOT_FOUND, "boot.kernel", "/nonexistent/vmlinuz");
    }

    @Test
    void diskOutsideEveryPool() {
        Path outside = TestGuest.createRawDisk(agent.dir().resolve("not-a-pool"), "stray.img", 16);
        assertRefusedAndNothingCreated("stray", s -> s.withDisks(List.of(s.disks().get(0).withPath(outside.toString()))),
                ErrorCode.UNSAFE_IMAGE, outside.toString(), "not inside any storage pool");
    }

    @Test
    void unknownNetwork() {
        assertRefusedAndNothingCreated("nonet", s -> withNics(s, List.of(new NicSpec(NicModel.VIRTIO, "nowhere", null))),
                ErrorCode.INVALID_SPEC, "'nowhere'", "not defined on host host-1");
    }

    @Test
    void unknownVmIsNotFound() {
        for (Function<String, Object> op : List.<Function<String, Object>>of(client::show, client::start, client::pause,
                client::resume, client::kill, n -> client.stop(n, new StopRequest(1, false)), n -> {
                    client.delete(n);
                    return null;
                })) {
            FerryException e = catchThrowableOfType(FerryException.class, () -> op.apply("ghost"));
            assertThat(e.code()).isEqualTo(ErrorCode.VM_NOT_FOUND);
            assertThat(e.getMessage()).contains("'ghost'");
        }
        assertNothingCreated("ghost");
    }

    @Test
    void stoppedVmCannotBePausedResumedOrStopped() {
        client.define(TestGuest.spec("idle", 96, "", disk));
        try {
            for (Function<String, Object> op : List.<Function<String, Object>>of(client::pause, client::resume, client::kill,
                    n -> client.stop(n, new StopRequest(1, false)))) {
                FerryException e = catchThrowableOfType(FerryException.class, () -> op.apply("idle"));
                assertThat(e.code()).isEqualTo(ErrorCode.VM_NOT_RUNNING);
                assertThat(e.getMessage()).contains("'idle'", "not running");
            }
            FerryException twice = catchThrowableOfType(FerryException.class, () -> client.define(TestGuest.spec("idle", 96, "")));
            assertThat(twice.code()).isEqualTo(ErrorCode.VM_EXISTS);
            assertThat(client.show("idle").spec().disks()).hasSize(1); // the first definition is untouched
            assertThat(agent.qemuPids()).isEmpty();
        } finally {
            client.delete("idle");
        }
        assertNothingCreated("idle");
    }

    private static void assertRefusedAndNothingCreated(String name, Function<VmSpec, VmSpec> breakIt, ErrorCode code,
                                                       String... messageParts) {
        VmSpec spec = breakIt.apply(TestGuest.spec(name.matches("[a-z0-9-]+") ? name : "valid", 96, "", disk));

        FerryException e = catchThrowableOfType(FerryException.class, () -> client.define(spec));

        assertThat(e).as("define of a broken spec").isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(messageParts);
        assertNothingCreated(name);
    }

    private static void assertNothingCreated(String name) {
        assertThat(client.list()).isEmpty();
        Path vms = agent.stateDir().resolve("vms");
        if (Files.exists(vms)) {
            assertThat(vms.toFile().list()).as("VM directories in %s", vms).isEmpty();
        }
        if (!name.contains("/") && !name.equals("..")) assertThat(vms.resolve(name)).doesNotExist();
    }

    private static VmSpec rename(VmSpec s, String name) {
        return new VmSpec(name, s.uuid(), s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(), s.boot(),
                s.disks(), s.nics(), s.serialLog());
    }

    private static VmSpec withBoot(VmSpec s, BootSpec boot) {
        return new VmSpec(s.name(), s.uuid(), s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(), boot,
                s.disks(), s.nics(), s.serialLog());
    }

    private static VmSpec withNics(VmSpec s, List<NicSpec> nics) {
        return new VmSpec(s.name(), s.uuid(), s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(), s.boot(),
                s.disks(), nics, s.serialLog());
    }
}
