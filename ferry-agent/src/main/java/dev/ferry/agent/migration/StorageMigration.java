package dev.ferry.agent.migration;

import dev.ferry.api.storage.MirrorRequest;
import dev.ferry.api.storage.MirrorStatus;
import dev.ferry.api.storage.NbdExportRequest;
import dev.ferry.api.storage.NbdExportResponse;

/**
 * The agent's steps of a live migration that copies local disks along, one method per API route:
 * the destination's NBD export ({@link NbdExport}) and the source's mirror jobs ({@link DiskMirror}).
 * The memory transfer itself is the ordinary one of {@link MigrationService#migrate}, which ends
 * the mirrors at its switchover.
 */
public final class StorageMigration {
    private final NbdExport nbd;
    private final DiskMirror mirrors;

    StorageMigration(NbdExport nbd, DiskMirror mirrors) {
        this.nbd = nbd;
        this.mirrors = mirrors;
    }

    public NbdExportResponse startExport(String vm, NbdExportRequest req) { return nbd.start(vm, req); }

    public void stopExport(String vm) { nbd.stop(vm); }

    public MirrorStatus startMirror(String vm, MirrorRequest req) { return mirrors.start(vm, req); }

    public MirrorStatus mirrorStatus(String vm) { return mirrors.status(vm); }

    public MirrorStatus finishMirror(String vm) { return mirrors.finish(vm); }

    public MirrorStatus cancelMirror(String vm) { return mirrors.cancel(vm); }
}
