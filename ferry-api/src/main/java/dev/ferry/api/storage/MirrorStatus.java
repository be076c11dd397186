package dev.ferry.api.storage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The disk mirror jobs of one VM on the source, as QEMU reports them.
 *
 * @param switchedOver true once the jobs were ended in sync at the migration's switchover point
 */
public record MirrorStatus(List<Job> jobs, boolean switchedOver) {
    public MirrorStatus {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /**
     * One mirror job. {@code status} is QEMU's job status (created, running, ready, concluded, ...);
     * {@code ready}: source and target are in sync and stay so; {@code error}: why the job failed.
     */
    public record Job(String disk, String jobId, String status, long len, long offset, boolean ready, String error) {}

    @JsonIgnore
    public boolean allReady() { return !jobs.isEmpty() && jobs.stream().allMatch(Job::ready); }

    /** The first job that failed, if any. */
    @JsonIgnore
    public Job failed() { return jobs.stream().filter(j -> j.error() != null).findFirst().orElse(null); }

    @JsonIgnore
    public long totalBytes() { return jobs.stream().mapToLong(Job::len).sum(); }

    @JsonIgnore
    public long copiedBytes() { return jobs.stream().mapToLong(Job::offset).sum(); }
}
