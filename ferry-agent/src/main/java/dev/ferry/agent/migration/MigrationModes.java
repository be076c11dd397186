package dev.ferry.agent.migration;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.migration.DirtyRate;
import dev.ferry.api.migration.DiscardImagesRequest;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.LinkProbe;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.MigrationTuning;
import dev.ferry.api.migration.ResumeRequest;
import dev.ferry.api.migration.RetireRequest;
import dev.ferry.agent.state.QemuFacts;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent's side of the migration modes beyond plain live pre-copy, one method per API route:
 * measuring the guest and the link for the live planner ({@link DirtyRateProbe}, {@link LinkProber}),
 * steering a running migration, post-copy and its recovery ({@link RunningMigrationControl}), and the
 * end of a cold migration on either host ({@link SourceRetirement}). A cold migration's disks are
 * copied by the transfer service ({@code dev.ferry.agent.transfer}), not here.
 */
public final class MigrationModes implements AutoCloseable {
    private final VmManager vms;
    private final DirtyRateProbe dirtyRate;
    private final LinkProber links;
    private final RunningMigrationControl control;
    private final SourceRetirement retirement;
    /**
     * The QEMUs this agent switched to post-copy: their memory went to the destination for good. Kept
     * in the state dir: an agent restarted after the switch must still refuse to resume that stale source.
     */
    private final QemuFacts postcopied;

    public MigrationModes(AgentConfig config, VmManager vms) {
        this.vms = vms;
        this.dirtyRate = new DirtyRateProbe(vms);
        this.links = new LinkProber(config);
        this.control = new RunningMigrationControl(config, vms);
        this.retirement = new SourceRetirement(config, vms);
        this.postcopied = new QemuFacts(Path.of(config.stateDir()).resolve("postcopied"));
    }

    public DirtyRate dirtyRate(String name, long calcTimeMs) { return dirtyRate.measure(name, calcTimeMs); }

    public MigrationStats tune(String name, MigrationTuning tuning) { return control.tune(name, tuning); }

    public MigrationStats startPostcopy(String name) {
        long pid = vms.requireRunning(name).process().pid();
        MigrationStats s = control.startPostcopy(name);
        postcopied.record(name, pid, "postcopy");
        return s;
    }

    /** True if this agent switched the VM's current QEMU to post-copy, so its memory is no longer complete. */
    public boolean postcopyStarted(String name) {
        return Runtimes.find(vms, name).map(rt -> postcopied.of(name, rt.process().pid()).isPresent()).orElse(false);
    }

    public MigrationStats pause(String name) { return control.pause(name); }

    public IncomingResponse recover(String name) { return control.recover(name); }

    public MigrationStats resume(String name, ResumeRequest req) { return control.resume(name, req); }

    public LinkProbe.Target openLinkProbe() { return links.listen(); }

    public LinkProbe.Result sendLinkProbe(LinkProbe.Send req) { return links.send(req); }

    public List<String> discardImages(DiscardImagesRequest req) { return retirement.discardImages(req); }

    public List<String> retire(String name, RetireRequest req) { return retirement.retire(name, req); }

    @Override
    public void close() {
        // nothing holds resources beyond a call yet; kept so the service's lifecycle stays one place
    }
}
