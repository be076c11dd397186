package dev.ferry.controller.migration;

import dev.ferry.api.spec.VmSpec;
import dev.ferry.controller.migration.plan.Escalator;
import dev.ferry.controller.migration.plan.LivePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the phases of the migration modes share beyond a plain live migration: the live plan and its
 * escalations, whether post-copy was asked for and has started, when a warm migration paused and
 * resumed the guest, and what a cold migration has done so far (shut the source down, copied
 * images, defined and started the destination), so that each phase's cleanup knows exactly what to
 * undo. One per {@link MigrationContext}; the phases of one migration run on one thread.
 */
public final class ModeState {
    /** One disk image copied to the destination by a cold migration. */
    public record CopiedDisk(String diskId, String transferId, String sourcePath, String destinationPath, long bytes, String digest) {}

    private LivePlan plan;
    private Escalator escalator;
    private boolean postcopyRequested;
    private String postcopyReason;
    private boolean postcopyStarted;
    private int recoveries;
    private Long pausedAtNanos;
    private Long resumedAtNanos;
    private boolean sourceWasRunning;
    private boolean sourceShutDown;
    private final List<String> pendingTransfers = new ArrayList<>();
    private final List<CopiedDisk> copies = new ArrayList<>();
    private VmSpec destinationSpec;
    private boolean destinationDefined;

    /** The live plan, or null: a migration without a requested mode runs the fixed pre-copy policy. */
    public LivePlan plan() { return plan; }

    public Escalator escalator() { return escalator; }

    public void planned(LivePlan p, Escalator e) {
        this.plan = p;
        this.escalator = e;
    }

    /** QEMU capabilities both ends get: the plan's, or none. */
    public Map<String, Boolean> capabilities() { return plan == null ? Map.of() : plan.capabilities(); }

    public void requestPostcopy(String why) {
        this.postcopyRequested = true;
        this.postcopyReason = why;
    }

    public boolean isPostcopyRequested() { return postcopyRequested; }

    public String postcopyReason() { return postcopyReason; }

    /** From here on the guest runs on the destination and the source copy is stale: nothing may resume it. */
    public void postcopyStarted() { this.postcopyStarted = true; }

    public boolean isPostcopyStarted() { return postcopyStarted; }

    public void recovered() { recoveries++; }

    public int recoveries() { return recoveries; }

    public void paused() { this.pausedAtNanos = System.nanoTime(); }

    public boolean isPaused() { return pausedAtNanos != null && resumedAtNanos == null; }

    public void resumed() { this.resumedAtNanos = System.nanoTime(); }

    /** How long the guest did not run, from the pause (or shutdown) until the destination ran it; null if unknown. */
    public Long pausedMs() {
        return pausedAtNanos == null || resumedAtNanos == null ? null : (resumedAtNanos - pausedAtNanos) / 1_000_000;
    }

    public void sourceShutDown(boolean wasRunning) {
        this.sourceWasRunning = wasRunning;
        this.sourceShutDown = true;
        if (wasRunning) this.pausedAtNanos = System.nanoTime();
    }

    public boolean isSourceShutDown() { return sourceShutDown; }

    public boolean sourceWasRunning() { return sourceWasRunning; }

    public List<String> pendingTransfers() { return pendingTransfers; }

    public List<CopiedDisk> copies() { return copies; }

    public long copiedBytes() { return copies.stream().mapToLong(CopiedDisk::bytes).sum(); }

    public void destinationSpec(VmSpec spec) { this.destinationSpec = spec; }

    public VmSpec destinationSpec() { return destinationSpec; }

    public void destinationDefined() { this.destinationDefined = true; }

    public boolean isDestinationDefined() { return destinationDefined; }
}
