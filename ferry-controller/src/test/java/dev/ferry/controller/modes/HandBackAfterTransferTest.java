package dev.ferry.controller.modes;

import static dev.ferry.controller.modes.ModesCluster.assertGuestContinues;
import static dev.ferry.controller.modes.ModesCluster.describe;
import static dev.ferry.controller.modes.ModesCluster.hasEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.vm.VmState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A live migration whose verification fails after QEMU finished the transfer: the destination has
 * already run the guest. Verification is made to fail by writing a corruption report into the
 * destination's console log while the transfer runs (the guest itself is fine). With its disk on
 * a shared pool the guest must stay on the destination, because the source copy's memory is older
 * than that disk; with a local (mirrored) disk the source copy takes it back.
 */
class HandBackAfterTransferTest extends ModesTest {
    @Test
    void withItsDiskOnSharedStorageTheGuestStaysOnTheDestination() {
        String vm = "vm-shared";
        cluster.boot(cluster.a, vm, 192, "ferry.mem=32 ferry.rate=4", false);

        MigrationView v = migrateWithFailedVerification(vm);

        assertThat(v.state()).as(describe(v)).isEqualTo("failed");
        assertThat(v.errorMessage()).contains("reports a problem on host-b");
        assertThat(hasEvent(v, "cleanup", "the guest stays on host-b, not handed back")).as(describe(v)).isTrue();
        assertThat(hasEvent(v, "cleanup", "shared disk data")).as(describe(v)).isTrue();
        assertThat(hasEvent(v, "cleanup", "resumed the guest on host-a")).as(describe(v)).isFalse();
        cluster.assertRunsOnlyOn(vm, cluster.b);
        assertThat(cluster.b.client().show(vm).state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void withOnlyItsOwnDisksTheSourceTakesTheGuestBack() {
        String vm = "vm-local";
        GuestHealth before = cluster.boot(cluster.a, vm, 192, "ferry.mem=32 ferry.rate=4", true);

        MigrationView v = migrateWithFailedVerification(vm);

        assertThat(v.state()).as(describe(v)).isEqualTo("failed");
        assertThat(hasEvent(v, "cleanup", "resumed the guest on host-a")).as(describe(v)).isTrue();
        cluster.assertRunsOnlyOn(vm, cluster.a);
        assertGuestContinues(cluster.a, vm, before);
    }

    private static MigrationView migrateWithFailedVerification(String vm) {
        MigrationView started = cluster.api.startMigration(new MigrationRequest(vm, ModesCluster.HOST_B, null, 32, null, "live", false,
                false, null, null));
        cluster.awaitPhase(started.id(), "transfer", Duration.ofSeconds(90));
        reportCorruption(cluster.b.vmDir(vm).resolve("serial.log"));
        MigrationView v = cluster.awaitFinished(started.id(), Duration.ofSeconds(120));
        System.out.println("MEASURED failed verification of " + vm + ": " + v.state() + ", " + v.errorMessage());
        return v;
    }

    /** What the guest's memory worker prints when a page lost its contents, appended to the destination's console log. */
    private static void reportCorruption(Path log) {
        try {
            Files.writeString(log, "MEMORY-BAD pass=1 pages=1 corrupt=1\r\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
