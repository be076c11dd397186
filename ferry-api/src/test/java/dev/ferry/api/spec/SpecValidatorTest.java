package dev.ferry.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    private static final String GOOD = """
            name: demo
            vcpus: 1
            memoryMiB: 256
            machine: q35
            boot:
              kernel: /g/vmlinuz
              initrd: /g/initrd.gz
              cmdline: console=ttyS0
            disks:
              - id: data
                path: /pool/data.raw
                format: raw
                bus: virtio-blk
            nics:
              - model: virtio
                network: user
                mac: 52:54:00:12:34:56
            """;

    @Test
    void acceptsAGoodSpec() {
        VmSpec spec = SpecReader.parse(GOOD, "good.yaml");
        SpecValidator.validate(spec);
        assertThat(spec.disks().get(0).format()).isEqualTo(DiskFormat.RAW);
        assertThat(spec.disks().get(0).busOrDefault()).isEqualTo(DiskBus.VIRTIO_BLK);
        assertThat(spec.nics().get(0).model()).isEqualTo(NicModel.VIRTIO);
    }

    @Test
    void reportsAllProblemsAtOnce() {
        VmSpec spec = SpecReader.parse("""
                name: Bad_Name
                vcpus: 0
                boot: {kernel: relative/vmlinuz}
                disks:
                  - {id: data, path: /a.raw}
                  - {id: data, path: /b.raw, format: qcow2}
                """, "bad.yaml");
        assertThat(SpecValidator.problems(spec)).containsExactlyInAnyOrder(
                "name must match [a-z0-9][a-z0-9-]{0,62} (got 'Bad_Name')",
                "vcpus must be between 1 and 64 (got 0)",
                "memoryMiB is required",
                "disks[0].format is required (raw or qcow2); Ferry never guesses a format",
                "disks[1].id 'data' is used twice",
                "boot.kernel must be an absolute path (got 'relative/vmlinuz')");
    }

    @Test
    void unknownFormatIsItsOwnError() {
        assertThatThrownBy(() -> SpecReader.parse("name: a\ndisks: [{id: d, path: /x, format: vmdk}]", "s"))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("format: 'vmdk' is not one of raw, qcow2")
                .extracting(e -> ((FerryException) e).code()).isEqualTo(ErrorCode.UNKNOWN_FORMAT);
    }

    @Test
    void unknownFieldIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> SpecReader.parse("name: a\nmemory: 256\n", "s.yaml"))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("s.yaml: unknown field memory; known fields here: [")
                .hasMessageContaining("memoryMiB")
                .extracting(e -> ((FerryException) e).code()).isEqualTo(ErrorCode.INVALID_SPEC);
    }

    @Test
    void bootNeedsExactlyOneMethod() {
        VmSpec both = SpecReader.parse(GOOD.replace("cmdline: console=ttyS0", "disk: data"), "s");
        assertThat(SpecValidator.problems(both)).contains("boot needs exactly one of kernel and disk");
    }

    @Test
    void rejectsMulticastAndDuplicateMacs() {
        VmSpec spec = SpecReader.parse(GOOD.replace("52:54:00:12:34:56", "01:00:5e:00:00:01"), "s");
        assertThat(SpecValidator.problems(spec)).containsExactly("nics[0].mac 01:00:5e:00:00:01 is a multicast address");
    }
}
