package dev.ferry.controller.migration;

import dev.ferry.api.migration.MigrationStats;

/**
 * Where a running migration reports what happens to it: phase changes and notable events go to the
 * database (so they survive a controller crash) and to live watchers; progress readings go to
 * watchers at once and to the database at a bounded rate.
 */
public interface MigrationJournal {
    void phase(String phase);

    void event(String kind, String message);

    void progress(MigrationStats stats);
}
