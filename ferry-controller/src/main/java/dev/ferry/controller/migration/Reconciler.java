package dev.ferry.controller.migration;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.migration.storage.StoragePlanner;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.MigrationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or rolls back the jobs no migration thread settles: those a previous controller left
 * unfinished (it crashed or was killed), and those whose own rollback could not complete because
 * an agent did not answer ({@link #adopt}). It asks both agents which side holds the guest and
 * acts on that, never on what the job row says: destination running and source
 * paused-after-migration means the move happened, so the source copy is removed; source still
 * running means it did not, so the destination copy is removed. A transfer still streaming is
 * cancelled first. The rule it keeps: never both sides running, never none.
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final MigrationStore store;
    private final AgentDirectory agents;
    private final Queue<MigrationRecord> adopted = new ConcurrentLinkedQueue<>();

    public Reconciler(MigrationStore store, AgentDirectory agents) {
        this.store = store;
        this.agents = agents;
    }

    /**
     * Takes over an unfinished job whose migration thread has given up on it (its rollback did not
     * complete); {@link #settlePending()} settles it once both agents answer.
     */
    public void adopt(MigrationRecord job) {
        adopted.add(job);
    }

    /** Tries once to settle every adopted job; those whose agents do not answer yet stay adopted. */
    public void settlePending() {
        List<MigrationRecord> jobs = new ArrayList<>();
        for (MigrationRecord r; (r = adopted.poll()) != null; ) jobs.add(r);
        if (!jobs.isEmpty()) adopted.addAll(reconcile(jobs));
    }

    /**
     * Settles the given jobs, which must be ones no running engine owns (the unfinished jobs found at
     * start-up). Returns those that could not be settled yet because an agent did not answer.
     */
    public List<MigrationRecord> reconcile(List<MigrationRecord> jobs) {
        List<MigrationRecord> pending = new ArrayList<>();
        for (MigrationRecord r : jobs) {
            try {
                reconcile(store.find(r.id()).orElse(r));
            } catch (FerryException e) {
                pending.add(r);
                LOG.warn("cannot reconcile migration {} yet: {}", r.id(), e.getMessage());
                store.addEvent(r.id(), "warning", "reconciliation postponed: " + e.getMessage(), null);
            }
        }
        return pending;
    }

    void reconcile(MigrationRecord r) {
        AgentClient src = agents.client(r.sourceHost());
        AgentClient dst = agents.client(r.destHost());
        store.addEvent(r.id(), "phase", "reconcile", null);
        if ("cold".equals(r.mode())) {
            reconcileCold(r, src, dst);
            return;
        }
        Optional<VmState> s = state(src, r.vm());
        if (s.isPresent() && (s.get() == VmState.RUNNING || s.get() == VmState.PAUSED)) {
            MigrationStats st = src.cancelMigration(r.vm());
            for (int i = 0; i < 40 && !st.isFinished() && !st.status().equals("none"); i++) {
                sleep();
                st = src.migrationStats(r.vm());
            }
            s = state(src, r.vm());
        }
        Optional<VmState> d = state(dst, r.vm());
        if (d.orElse(null) == VmState.RUNNING && (s.isEmpty() || s.get() == VmState.MIGRATED || s.get() == VmState.SHUTOFF)) {
            if (s.isPresent() && s.get() == VmState.MIGRATED) src.finishSource(r.vm());
            else if (s.isPresent()) src.delete(r.vm());
            finish(r, "succeeded", null, null, "completed by reconciliation: the guest runs on " + r.destHost());
        } else if (s.isPresent() && (s.get() == VmState.RUNNING || s.get() == VmState.PAUSED)) {
            if (d.isPresent()) dst.discard(r.vm(), true);
            finish(r, r.abortRequested() ? "aborted" : "failed", ErrorCode.MIGRATION_FAILED.name(),
                    interruption(r) + "; rolled back, the guest runs on " + r.sourceHost(), null);
        } else if (s.isPresent() && s.get() == VmState.MIGRATED) {
            HandBack.Verdict v = HandBack.decide(VmState.MIGRATED, d.orElse(null), false, sharedDisks(src, r.vm()));
            if (v.decision() != HandBack.Decision.RESUME_SOURCE) {
                finish(r, "failed", ErrorCode.MIGRATION_FAILED.name(), "the destination copy did not survive and nothing was resumed: "
                        + v.reason() + "; the paused copy on " + r.sourceHost() + " is kept for an operator", null);
                return;
            }
            if (d.isPresent()) dst.discard(r.vm(), true);
            src.recoverSource(r.vm());
            finish(r, "failed", ErrorCode.MIGRATION_FAILED.name(), "the destination copy did not survive; the guest was resumed on "
                    + r.sourceHost(), null);
        } else {
            finish(r, "failed", ErrorCode.INTERNAL.name(), "the guest runs on neither " + r.sourceHost() + " (" + s.map(VmState::json)
                    .orElse("absent") + ") nor " + r.destHost() + " (" + d.map(VmState::json).orElse("absent") + "); needs an operator", null);
        }
    }

    /**
     * The VM's disks that sit on a pool the source host shares: the destination may have written
     * them. Unknown disks (no spec) count as shared, so an unknown case never resumes a stale copy.
     */
    private static List<String> sharedDisks(AgentClient src, String vm) {
        VmSpec spec = src.show(vm).spec();
        if (spec == null) return List.of("(unknown)");
        HostInfo host = src.host();
        return spec.disks().stream().filter(d -> StoragePlanner.onSharedPool(host, d)).map(DiskSpec::id).toList();
    }

    /**
     * A cold migration: if the destination runs the guest, the move happened and the source's
     * shut-off definition is removed (its images are kept for the operator); otherwise a destination
     * copy is removed and, if this migration had shut the guest down, it is started again on the
     * source. Images a failed copy left on the destination are named in the job for the operator.
     */
    private void reconcileCold(MigrationRecord r, AgentClient src, AgentClient dst) {
        Optional<VmState> s = state(src, r.vm());
        Optional<VmState> d = state(dst, r.vm());
        if (d.orElse(null) == VmState.RUNNING) {
            if (s.isPresent()) src.retire(r.vm(), new dev.ferry.api.migration.RetireRequest(r.id(), false));
            finish(r, "succeeded", null, null, "completed by reconciliation: the guest runs on " + r.destHost()
                    + "; the source's images were kept");
            return;
        }
        if (d.isPresent()) dst.discard(r.vm(), true);
        boolean shutDownByUs = store.events(r.id()).stream().anyMatch(e -> "shutdown".equals(e.kind()));
        if (s.orElse(null) == VmState.SHUTOFF && shutDownByUs) src.start(r.vm());
        if (s.isEmpty()) {
            finish(r, "failed", ErrorCode.INTERNAL.name(), "the guest is defined on neither " + r.sourceHost() + " nor a running "
                    + r.destHost() + "; needs an operator", null);
            return;
        }
        finish(r, r.abortRequested() ? "aborted" : "failed", ErrorCode.MIGRATION_FAILED.name(), interruption(r)
                + "; rolled back, the guest is on " + r.sourceHost() + (shutDownByUs ? " and was started again" : "")
                + " (copied images on " + r.destHost() + ", if any, are left for an operator)", null);
    }

    /** Why the job came to reconciliation: the controller stopped in some phase, or the job's rollback did not complete. */
    private static String interruption(MigrationRecord r) {
        return "rollback".equals(r.phase()) ? "the rollback of the failed migration did not complete"
                : "the controller stopped during phase " + r.phase();
    }

    private void finish(MigrationRecord r, String state, String code, String error, String note) {
        store.addEvent(r.id(), "info", note != null ? note : error, null);
        store.finish(r.id(), state, null, code, error);
        LOG.info("reconciled migration {}: {}", r.id(), note != null ? note : error);
    }

    private static Optional<VmState> state(AgentClient agent, String vm) {
        try {
            return Optional.of(agent.show(vm).state());
        } catch (FerryException e) {
            if (e.code() == ErrorCode.VM_NOT_FOUND) return Optional.empty();
            throw e;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
