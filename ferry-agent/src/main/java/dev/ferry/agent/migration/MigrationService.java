package dev.ferry.agent.migration;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.HostSpecCheck;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.qemu.img.QemuImg;
import dev.ferry.qemu.qmp.QemuVersion;

/**
 * The agent's side of live migration, one method per API route. The controller drives a migration
 * step by step over HTTP; each step here is short, runs under the VM's lock where it changes
 * anything, and either completes or leaves the host as it was. The work is split by role: the
 * destination ({@link IncomingMigration}), the source ({@link OutgoingMigration},
 * {@link SourceAfterMigration}), cleanup ({@link VmDiscard}) and the guest's console
 * ({@link GuestHealthReader}).
 */
public final class MigrationService implements AutoCloseable {
    private final VmManager vms;
    private final IncomingMigration incoming;
    private final OutgoingMigration outgoing;
    private final SourceAfterMigration source;
    private final VmDiscard discard;
    private final GuestHealthReader health;
    private final MigrationModes modes;
    private final DiskMirror mirrors;
    private final StorageMigration storage;

    /** {@code hostQemu}: the version of the QEMU binary this agent launches. */
    public MigrationService(AgentConfig config, VmManager vms, QemuVersion hostQemu) {
        this.vms = vms;
        this.incoming = new IncomingMigration(config, vms, new HostSpecCheck(config, QemuImg.system()), hostQemu);
        this.outgoing = new OutgoingMigration(config, vms);
        this.modes = new MigrationModes(config, vms);
        this.source = new SourceAfterMigration(config, vms, modes::postcopyStarted);
        this.discard = new VmDiscard(config, vms);
        this.health = new GuestHealthReader(vms);
        this.mirrors = new DiskMirror(config, vms);
        this.storage = new StorageMigration(new NbdExport(config, vms), mirrors);
    }

    public IncomingResponse prepareIncoming(IncomingRequest req) {
        IncomingResponse r = incoming.prepare(req);
        health.watch(req.spec().name());
        return r;
    }

    public MigrationStats migrate(String name, OutgoingRequest req) {
        health.watch(name);
        return mirrors.migrate(name, req, r -> outgoing.start(name, r));
    }

    /** Progress as QEMU reports it, on the source or the destination; needs a running QEMU. */
    public MigrationStats stats(String name) { return MigrationStatsReader.read(vms.requireRunning(name).qmp()); }

    public MigrationStats cancel(String name) { return outgoing.cancel(name); }

    public void discard(String name, boolean force) { discard.discard(name, force); }

    public void finishSource(String name) { source.finish(name); }

    public VmInfo recoverSource(String name) { return source.recover(name); }

    public GuestHealth guestHealth(String name) { return health.read(name); }

    /** Measurements, steering, post-copy recovery and cold migration clean-up (the modes beyond plain pre-copy). */
    public MigrationModes modes() { return modes; }

    /** The disk-copy steps of a migration with local disks (NBD export, mirror jobs). */
    public StorageMigration storage() { return storage; }

    @Override
    public void close() {
        health.close();
        mirrors.close();
        modes.close();
    }
}
