package dev.ferry.controller.migration;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.spec.VmSpec;
import java.util.function.BooleanSupplier;

/**
 * Everything the phases of one migration share, each fact with its own type: the request, both
 * hosts and their agents, the VM's spec, what the destination said when it got ready, the last
 * progress reading, and which side effects have happened so far, so each phase's cleanup knows
 * exactly what to undo. Unlike a bag of untyped fields, reading a fact an earlier phase has not
 * set fails loudly, naming the fact.
 */
public final class MigrationContext {
    private final String id;
    private final MigrationRequest request;
    private final String sourceHost;
    private final AgentClient source;
    private final AgentClient destination;
    private final BooleanSupplier abortRequested;
    private final MigrationJournal journal;
    private final long startedNanos = System.nanoTime();

    private HostInfo sourceInfo;
    private HostInfo destinationInfo;
    private VmSpec spec;
    private IncomingResponse incoming;
    private MigrationStats lastStats;
    private GuestHealth sourceHealth;
    private GuestHealth destinationHealth;
    private boolean transferStarted;
    private boolean transferCompleted;
    private boolean sourceFinished;
    private boolean handedBack;
    private final ModeState modes = new ModeState();
    private final dev.ferry.controller.safety.SafetyState safety = new dev.ferry.controller.safety.SafetyState();
    private dev.ferry.controller.migration.storage.StoragePlan storage;
    private dev.ferry.controller.assess.Assessor assessor;

    public MigrationContext(String id, MigrationRequest request, String sourceHost, AgentClient source,
                            AgentClient destination, BooleanSupplier abortRequested, MigrationJournal journal) {
        this.id = id;
        this.request = request;
        this.sourceHost = sourceHost;
        this.source = source;
        this.destination = destination;
        this.abortRequested = abortRequested;
        this.journal = journal;
    }

    public String id() { return id; }
    public MigrationRequest request() { return request; }
    public String vm() { return request.vm(); }
    public String sourceHost() { return sourceHost; }
    public String destinationHost() { return request.to(); }
    public AgentClient source() { return source; }
    public AgentClient destination() { return destination; }
    public MigrationJournal journal() { return journal; }
    public long elapsedMs() { return (System.nanoTime() - startedNanos) / 1_000_000; }

    /** Throws {@code MIGRATION_ABORTED} if the user asked to abort; phases call it between steps. */
    public void checkAbort() {
        if (abortRequested()) {
            throw new FerryException(ErrorCode.MIGRATION_ABORTED, "migration of '" + vm() + "' was aborted by the user");
        }
    }

    /** Once post-copy has started the guest cannot go back to the source, so an abort is no longer honoured. */
    public boolean abortRequested() { return abortRequested.getAsBoolean() && !modes.isPostcopyStarted(); }

    /** Whether the user asked to abort, honoured or not. */
    public boolean abortRequestedRaw() { return abortRequested.getAsBoolean(); }

    public void prepared(HostInfo src, HostInfo dst, VmSpec vmSpec) {
        this.sourceInfo = src;
        this.destinationInfo = dst;
        this.spec = vmSpec;
    }

    public VmSpec spec() { return need(spec, "the VM's spec"); }
    public HostInfo sourceInfo() { return need(sourceInfo, "the source's inventory"); }
    public HostInfo destinationInfo() { return need(destinationInfo, "the destination's inventory"); }

    public void destinationReady(IncomingResponse r) { this.incoming = r; }
    public boolean isDestinationPrepared() { return incoming != null; }
    public IncomingResponse incoming() { return need(incoming, "the destination's incoming address"); }

    public void transferStarted() { this.transferStarted = true; }
    public boolean isTransferStarted() { return transferStarted; }
    public void transferCompleted() { this.transferCompleted = true; }
    public boolean isTransferCompleted() { return transferCompleted; }

    public void stats(MigrationStats s) { this.lastStats = s; }
    public MigrationStats lastStats() { return lastStats; }

    public void sourceHealth(GuestHealth h) { this.sourceHealth = h; }
    public GuestHealth sourceHealth() { return sourceHealth; }
    public void destinationHealth(GuestHealth h) { this.destinationHealth = h; }
    public GuestHealth destinationHealth() { return destinationHealth; }

    public void sourceFinished() { this.sourceFinished = true; }
    public boolean isSourceFinished() { return sourceFinished; }

    /** The rollback resumed the source copy after a completed transfer: what was made for the destination can go. */
    public void handedBack() { this.handedBack = true; }
    public boolean isHandedBack() { return handedBack; }

    /** The local disks this migration copies along; null when every disk is on shared storage. */
    public void storage(dev.ferry.controller.migration.storage.StoragePlan plan) { this.storage = plan; }
    public dev.ferry.controller.migration.storage.StoragePlan storage() { return storage; }

    /** Where the validate phase asks whether the move may happen (set by the engine before the phases run). */
    public void assessor(dev.ferry.controller.assess.Assessor a) { this.assessor = a; }
    public dev.ferry.controller.assess.Assessor assessor() { return need(assessor, "the assessor"); }
    /** Backup, work samples and post-migration checks of this migration, for the safety phases. */
    public dev.ferry.controller.safety.SafetyState safety() { return safety; }

    /** State of the migration modes (live plan, post-copy, warm pause, cold copies) for their phases. */
    public ModeState modes() { return modes; }

    private <T> T need(T value, String what) {
        if (value == null) throw new IllegalStateException(what + " is not known yet in migration " + id);
        return value;
    }
}
