package dev.ferry.controller.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.controller.store.BackupRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreFromBackupTest {
    static final VmSpec SPEC = new VmSpec("web", "5f0c1c9e-0000-4000-8000-000000000001", 1, 128, null, "q35", null,
            new BootSpec("/k", "/i", "console=ttyS0", null),
            List.of(new DiskSpec("data", "/pool/web.img", DiskFormat.RAW, DiskBus.VIRTIO_BLK, null),
                    new DiskSpec("logs", "/pool/web-logs.qcow2", DiskFormat.QCOW2, DiskBus.VIRTIO_BLK, null)),
            List.of(new NicSpec(NicModel.VIRTIO, "user", "52:54:00:00:00:01")), null);

    static BackupRecord backup(String images) throws Exception {
        return new BackupRecord("web-backup-1", "m1", "web", "a", Instant.EPOCH, BackupRecord.RETAINED, images,
                Json.mapper().writeValueAsString(SPEC), null, null, null);
    }

    @Test
    void theRestoredVmKeepsItsIdentityAndRunsOnTheBackupImages() throws Exception {
        VmSpec s = RestoreFromBackup.restoredSpec(backup("[{\"diskId\":\"logs\",\"path\":\"/pool/b-logs.qcow2\",\"format\":\"qcow2\"},"
                + "{\"diskId\":\"data\",\"path\":\"/pool/b-data.img\",\"format\":\"raw\"}]"));
        assertThat(s.name()).isEqualTo("web");
        assertThat(s.uuid()).isEqualTo(SPEC.uuid());
        assertThat(s.nics()).isEqualTo(SPEC.nics());
        assertThat(s.disks()).extracting(DiskSpec::id, DiskSpec::path, DiskSpec::format)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("data", "/pool/b-data.img", DiskFormat.RAW),
                        org.assertj.core.groups.Tuple.tuple("logs", "/pool/b-logs.qcow2", DiskFormat.QCOW2));
    }

    @Test
    void aBackupMissingADiskIsRefused() {
        assertThatThrownBy(() -> RestoreFromBackup.restoredSpec(backup("[{\"diskId\":\"data\",\"path\":\"/pool/b.img\",\"format\":\"raw\"}]")))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE);
                    assertThat(e.getMessage()).contains("no copy of disk 'logs'");
                });
    }

    @Test
    void theWarningNamesWhatIsLost() {
        assertThat(RestoreFromBackup.lossWarning("web", Instant.parse("2030-01-01T00:00:00Z")))
                .isEqualTo("restoring the backup loses every change VM 'web' made to its disks since 2030-01-01T00:00:00Z"
                        + " (and its memory: it boots from the backup)");
    }
}
