package dev.ferry.controller.safety;

import dev.ferry.api.safety.Check;
import dev.ferry.api.safety.PerfSample;
import dev.ferry.controller.store.BackupRecord;
import dev.ferry.controller.store.BackupStore;
import java.util.ArrayList;
import java.util.List;

/**
 * What the safety phases of one migration share: the controller's settings and backup store (set by
 * the engine), the backup taken before anything moved, the work samples of the guest on the source
 * before the switchover, and the post-migration checklist. A failed check does not throw through
 * the phase runner (the source copy is gone by then, and the earlier phases' cleanups would undo a
 * destination that runs the VM): the engine reads {@link #failed()} and marks the job.
 */
public final class SafetyState {
    private SafetySettings settings = SafetySettings.DEFAULT;
    private BackupStore backups;
    private BackupRecord backup;
    private PerfSample baselineFirst;
    private PerfSample baselineLast;
    private final List<Check> checks = new ArrayList<>();

    public void configure(SafetySettings s, BackupStore store) {
        this.settings = s == null ? SafetySettings.DEFAULT : s;
        this.backups = store;
    }

    public SafetySettings settings() { return settings; }

    /** The backup store; null when the engine was built without one (backups are then refused). */
    public BackupStore backups() { return backups; }

    public void backup(BackupRecord b) { this.backup = b; }

    public BackupRecord backup() { return backup; }

    public void baseline(PerfSample first, PerfSample last) {
        this.baselineFirst = first;
        this.baselineLast = last;
    }

    public PerfSample baselineFirst() { return baselineFirst; }

    public PerfSample baselineLast() { return baselineLast; }

    public void checks(List<Check> list) {
        checks.clear();
        checks.addAll(list);
    }

    public List<Check> checks() { return List.copyOf(checks); }

    public boolean ranChecks() { return !checks.isEmpty(); }

    public boolean failed() { return checks.stream().anyMatch(c -> !c.ok()); }

    public List<Check> failedChecks() { return checks.stream().filter(c -> !c.ok()).toList(); }
}
