package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.StorageOptions;
import dev.ferry.api.spec.DiskFormat;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ferry migration start}'s options for disks not on shared storage become the request's {@link StorageOptions}. */
class MigrationStorageOptionsTest {
    @Test
    void noStorageFlagsMeanTheDefaults() {
        assertThat(parse("vm1", "--to", "host-b").storage()).isNull();
    }

    @Test
    void storageFlagsBecomeStorageOptions() {
        StorageOptions s = parse("vm1", "--to", "host-b", "--target-pool", "fast", "--disk-format", "qcow2", "--keep-source-disks").storage();
        assertThat(s).isEqualTo(new StorageOptions("fast", DiskFormat.QCOW2, true));
    }

    private static MigrationCommand.Start parse(String... args) {
        MigrationCommand.Start start = new MigrationCommand.Start();
        new CommandLine(start).parseArgs(args);
        return start;
    }
}
