package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A recovery address belongs to one QEMU process: a VM that left and came back never gets its earlier QEMU's. */
class RecoveryAddressesTest {
    @Test
    void theSameQemuGetsItsAddressBack() {
        RecoveryAddresses a = new RecoveryAddresses();
        a.record("vm1", 100, "tcp:10.0.0.2:5000");
        assertThat(a.of("vm1", 100)).contains("tcp:10.0.0.2:5000");
        assertThat(a.of("vm2", 100)).isEmpty();
    }

    @Test
    void aNewQemuOfTheSameVmDoesNotInheritTheEarlierAddress() {
        RecoveryAddresses a = new RecoveryAddresses();
        a.record("vm1", 100, "tcp:10.0.0.2:5000");
        assertThat(a.of("vm1", 200)).isEmpty();
        assertThat(a.of("vm1", 100)).as("forgotten once a newer QEMU of the VM was asked about").isEmpty();
        a.record("vm1", 200, "tcp:10.0.0.2:6000");
        assertThat(a.of("vm1", 200)).contains("tcp:10.0.0.2:6000");
    }
}
