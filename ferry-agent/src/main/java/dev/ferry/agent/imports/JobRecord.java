package dev.ferry.agent.imports;

import dev.ferry.imports.api.JobView;
import java.util.List;

/**
 * What the agent keeps on disk about one import or export job ({@code state/jobs/ID.json}): the
 * job as last reported, and the files it may leave half-written if the agent dies meanwhile
 * (exact paths, or globs such as {@code /pool/.ferry-import-*} for staging folders with a random
 * name). A restarted agent removes those of a job that was still running.
 */
public record JobRecord(JobView view, List<String> leftovers) {
    public JobRecord {
        leftovers = leftovers == null ? List.of() : List.copyOf(leftovers);
    }

    JobRecord with(JobView v) { return new JobRecord(v, leftovers); }
}
