package dev.ferry.bench.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class GuestMemoryTest {
    private static final String MAPS = """
            55d0c0a00000-55d0c0e00000 r-xp 00000000 08:01 1234   /usr/bin/qemu-system-x86_64
            7f0000000000-7f0008000000 rw-p 00000000 00:00 0
            7f0010000000-7f0018000000 rwxp 00000000 00:00 0
            7f0020000000-7f0028000000 rw-s 00000000 00:05 99     /memfd:other (deleted)
            7f0030000000-7f0030200000 rw-p 00000000 00:00 0
            """;

    @Test
    void theGuestRamIsTheOnePrivateAnonymousReadWriteMappingOfItsSize() {
        assertThat(GuestMemory.ramMappingStart(MAPS, 128L << 20)).isEqualTo(0x7f0000000000L);
        assertThatThrownBy(() -> GuestMemory.ramMappingStart(MAPS, 256L << 20)).hasMessageContaining("0 anonymous rw mappings");
        String twice = MAPS + "7f0040000000-7f0048000000 rw-p 00000000 00:00 0\n";
        assertThatThrownBy(() -> GuestMemory.ramMappingStart(twice, 128L << 20)).hasMessageContaining("2 anonymous rw mappings");
    }

    @Test
    void onlyPagesWithANonZeroByteCountAndOnlyUpToTheRamSize() throws Exception {
        byte[] mem = new byte[4096 * 4];
        mem[4096 + 17] = 1;
        mem[3 * 4096 + 4095] = 7;
        assertThat(GuestMemory.countNonZeroPages(new ByteArrayInputStream(mem), 4)).isEqualTo(2);
        assertThat(GuestMemory.countNonZeroPages(new ByteArrayInputStream(mem), 3)).isEqualTo(1);
    }
}
