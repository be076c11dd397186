package dev.ferry.imports;

/**
 * Where an import or export reports how far it got: the current phase (e.g. {@code convert disk0})
 * and bytes done of bytes expected over the whole job. Implementations must be cheap and
 * thread-safe; they are called about twice a second while qemu-img runs.
 */
@FunctionalInterface
public interface JobProgress {
    JobProgress NONE = (phase, done, total) -> { };

    void update(String phase, long doneBytes, long totalBytes);
}
