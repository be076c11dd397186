package dev.ferry.controller.migration;

import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.controller.store.MigrationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of one running migration, backed by the store: phases and events are written at
 * once (they are what a restarted controller reconciles from), progress at most once a second
 * (watchers poll the store, and a reading a second old is fine for a progress bar).
 */
public final class StoreJournal implements MigrationJournal {
    private static final Logger LOG = LoggerFactory.getLogger(StoreJournal.class);
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final String id;
    private final MigrationStore store;
    private long lastProgressWrite;

    public StoreJournal(String id, MigrationStore store) {
        this.id = id;
        this.store = store;
    }

    @Override
    public void phase(String phase) {
        store.updatePhase(id, "running", phase);
        store.addEvent(id, "phase", phase, null);
        LOG.info("migration {}: phase {}", id, phase);
    }

    @Override
    public void event(String kind, String message) {
        store.addEvent(id, kind, message, null);
        LOG.info("migration {}: {}: {}", id, kind, message);
    }

    @Override
    public void progress(MigrationStats stats) {
        long now = System.nanoTime();
        if (!stats.isFinished() && now - lastProgressWrite < PROGRESS_EVERY_NANOS) return;
        lastProgressWrite = now;
        try {
            store.updateStats(id, Json.mapper().writeValueAsString(stats));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warn("cannot serialize stats of {}", id, e);
        }
    }
}
