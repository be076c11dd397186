package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmState;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The destination's preparation is all or nothing, and the agent's guards hold: a refused or failed
 * preparation leaves no QEMU and no definition behind, an existing definition is reused only for
 * the same VM, and a live guest is never discarded or sent anywhere by accident.
 */
@Tag("qemu")
class IncomingPreparationTest {
    private static TestAgent host;
    private static AgentClient client;
    private static Path disk;

    @BeforeAll
    static void startAgent() {
        host = TestAgent.start();
        client = host.client();
        disk = TestGuest.createRawDisk(host.poolDir(), "data.img", 16);
    }

    @AfterEach
    void killGuests() {
        QemuReaper.killAll(host.dir());
    }

    @AfterAll
    static void stopAgent() {
        if (host != null) host.close();
    }

    @Test
    void aFailureAfterQemuStartedLeavesNothingBehind() {
        VmSpec spec = spec("vm-badcap");

        assertCode(() -> client.prepareIncoming(new IncomingRequest("m", spec, true, Map.of("no-such-capability", true))),
                ErrorCode.INVALID_ARGUMENT);

        assertCode(() -> client.show("vm-badcap"), ErrorCode.VM_NOT_FOUND);
        assertThat(QemuReaper.pidsUnder(host.dir())).isEmpty();
    }

    @Test
    void aMissingDiskIsRefusedBeforeAnythingStarts() {
        VmSpec spec = spec("vm-nodisk").withDisks(java.util.List.of(spec("x").disks().get(0).withPath("/nonexistent/d.img")));

        assertCode(() -> client.prepareIncoming(new IncomingRequest("m", spec, false, Map.of())), ErrorCode.IMAGE_NOT_FOUND);

        assertCode(() -> client.show("vm-nodisk"), ErrorCode.VM_NOT_FOUND);
    }

    @Test
    void anExistingDefinitionIsReusedOnlyForTheSameVm() {
        VmSpec defined = client.define(spec("vm-reuse")).spec();
        VmSpec other = spec("vm-reuse");

        assertCode(() -> client.prepareIncoming(new IncomingRequest("m", other, false, Map.of())), ErrorCode.VM_EXISTS);
        assertThat(client.show("vm-reuse").spec()).isEqualTo(defined);

        IncomingResponse in = client.prepareIncoming(new IncomingRequest("m", defined, true, Map.of("xbzrle", true)));

        assertThat(in.uri()).matches("tcp:127\\.0\\.0\\.1:\\d+");
        assertThat(in.tlsHostname()).isEqualTo("127.0.0.1");
        assertThat(client.show("vm-reuse").state()).isEqualTo(VmState.INCOMING);
        assertCode(() -> client.prepareIncoming(new IncomingRequest("m", defined, false, Map.of())), ErrorCode.VM_RUNNING);
        client.discard("vm-reuse", false);
        assertCode(() -> client.show("vm-reuse"), ErrorCode.VM_NOT_FOUND);
        assertThat(QemuReaper.pidsUnder(host.dir())).isEmpty();
    }

    @Test
    void aRunningGuestIsNeitherDiscardedNorSentToAnUnsafeUri() {
        VmSpec spec = client.define(spec("vm-live")).spec();
        client.start("vm-live");

        assertCode(() -> client.discard("vm-live", false), ErrorCode.INVALID_STATE);
        OutgoingRequest exec = new OutgoingRequest("m", "exec:touch /tmp/ferry-pwned", false, null, null, null, Map.of());
        assertCode(() -> client.migrate("vm-live", exec), ErrorCode.INVALID_ARGUMENT);
        assertThat(client.migrationStats("vm-live").status()).isEqualTo("none");
        assertThat(client.cancelMigration("vm-live").status()).as("cancel without a migration").isEqualTo("none");
        assertCode(() -> client.discard("vm-missing", false), ErrorCode.VM_NOT_FOUND);

        client.discard("vm-live", true);

        assertCode(() -> client.show(spec.name()), ErrorCode.VM_NOT_FOUND);
        assertThat(QemuReaper.pidsUnder(host.dir())).isEmpty();
    }

    private static VmSpec spec(String name) {
        return TestGuest.spec(name, 128, "ferry.mem=16", disk).withUuid(UUID.randomUUID().toString());
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code())
                .as("error code of: %s", e.getMessage()).isEqualTo(code));
    }
}
