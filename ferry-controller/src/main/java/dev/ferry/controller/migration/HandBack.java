package dev.ferry.controller.migration;

import dev.ferry.api.vm.VmState;
import java.util.List;

/**
 * Who keeps the guest when a live migration fails after QEMU finished the transfer. By then the
 * destination QEMU has started the guest (QEMU resumes an incoming guest as soon as its state is
 * loaded), so it may already have written to its disks. Handing the guest back means resuming the
 * paused source copy, whose memory is from the switchover: safe when every disk it uses is its
 * own (local disks were mirrored, so the destination wrote to its copies), but not when a disk
 * sits on storage both hosts share: the source guest would run on a disk that moved on without
 * it, and its file systems would corrupt the data. Then the destination keeps the guest if it
 * runs it, and otherwise nobody resumes anything: an operator starts the guest anew from its
 * disks. Pure: it only looks at what it is told.
 */
public final class HandBack {
    /** What the rollback does. */
    public enum Decision {
        /** Remove the destination copy, then resume the source copy. */
        RESUME_SOURCE,
        /** The destination copy stays and runs the guest; the stale source copy is retired. */
        KEEP_DESTINATION,
        /** Resume nothing: no copy can safely run the guest; an operator decides. */
        LEAVE_TO_OPERATOR
    }

    /** The decision and one sentence on why, for the job's events and error. */
    public record Verdict(Decision decision, String reason) {}

    private HandBack() {}

    /**
     * @param source          the source copy's state, null when the source agent does not know the VM
     * @param destination     the destination copy's state, null when absent
     * @param postcopyStarted the guest ran in post-copy (its memory is split between the hosts)
     * @param sharedDisks     ids of the disks both hosts use in place (not mirrored, not copied)
     */
    public static Verdict decide(VmState source, VmState destination, boolean postcopyStarted, List<String> sharedDisks) {
        boolean destRuns = destination == VmState.RUNNING;
        if (postcopyStarted) {
            return destRuns ? keep("the migration ran in post-copy: the guest's memory lives on the destination")
                    : operator("the migration ran in post-copy and the destination copy is " + name(destination)
                    + ": the source copy's memory is incomplete");
        }
        if (source != VmState.MIGRATED) {
            return destRuns ? keep("the source copy is " + name(source) + ", not paused after the migration")
                    : operator("the source copy is " + name(source) + " and the destination copy " + name(destination));
        }
        if (!sharedDisks.isEmpty()) {
            String why = "the destination already ran the guest on shared disk" + (sharedDisks.size() == 1 ? " " : "s ")
                    + String.join(", ", sharedDisks) + "; resuming the source copy, whose memory is older than those disks, would corrupt them";
            return destRuns ? keep(why) : operator(why + ", and the destination copy is " + name(destination)
                    + "; start the guest anew from its disks");
        }
        return new Verdict(Decision.RESUME_SOURCE, "the source copy is paused after the migration and uses no disk the destination wrote to");
    }

    private static Verdict keep(String why) { return new Verdict(Decision.KEEP_DESTINATION, why); }

    private static Verdict operator(String why) { return new Verdict(Decision.LEAVE_TO_OPERATOR, why); }

    private static String name(VmState s) { return s == null ? "absent" : s.json(); }
}
