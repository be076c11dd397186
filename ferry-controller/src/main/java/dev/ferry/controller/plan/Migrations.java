package dev.ferry.controller.plan;

import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.controller.migration.MigrationEngine;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.MigrationStore;
import java.util.Optional;

/**
 * What a plan needs of the migration engine: start a migration, follow it, abort it, re-set its
 * bandwidth, and find a VM's unfinished job (so a resumed plan adopts a job it started just before
 * the controller died instead of starting a second one). An interface so the runner can be tested
 * with a fake engine.
 */
public interface Migrations {
    MigrationView start(MigrationRequest req);

    MigrationView view(String id);

    void abort(String id);

    boolean setBandwidth(String id, long bytesPerSec);

    /** The VM's unfinished migration job, if it has one. */
    Optional<MigrationRecord> active(String vm);

    /** Where the inventory says the VM runs, if it knows the VM. */
    Optional<String> hostOf(String vm);

    /** The real engine and its stores. */
    static Migrations of(MigrationEngine engine, MigrationStore store, dev.ferry.controller.store.VmStore vms) {
        return new Migrations() {
            @Override
            public MigrationView start(MigrationRequest req) { return engine.start(req); }

            @Override
            public MigrationView view(String id) { return engine.view(id); }

            @Override
            public void abort(String id) { engine.abort(id); }

            @Override
            public boolean setBandwidth(String id, long bytesPerSec) { return engine.setBandwidth(id, bytesPerSec); }

            @Override
            public Optional<MigrationRecord> active(String vm) { return store.activeFor(vm); }

            @Override
            public Optional<String> hostOf(String vm) { return vms.find(vm).map(dev.ferry.controller.store.VmRecord::host); }
        };
    }
}
