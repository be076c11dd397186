package dev.ferry.controller.plan;

import dev.ferry.api.migration.MigrationRequest;
import java.time.Instant;
import java.util.List;

/**
 * A checked plan document in the form the validator, the scheduler and the store use: every VM
 * with its wave (1-based), dependencies and the full {@link MigrationRequest} it will be moved
 * with ({@code to} is null while the destination is {@code auto}). Items are in plan order: by
 * wave, then as written.
 */
public record PlanDefinition(String name, OnFailure onFailure, Limits limits, Instant windowStart, Instant windowEnd,
                             List<Item> items) {
    public PlanDefinition {
        items = List.copyOf(items);
    }

    /** What the runner does once a move fails. */
    public enum OnFailure {
        /** start nothing new; let the running moves end */
        STOP,
        /** carry on with the rest of the plan */
        CONTINUE,
        /** start nothing new, then move the plan's already-moved VMs back */
        ROLLBACK;

        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Concurrency limits; every one at least 1 (unlimited is {@link Integer#MAX_VALUE}). */
    public record Limits(int perSource, int perDestination, int perLink, int perCluster) {
        public static final Limits DEFAULT = new Limits(2, 2, 1, 4);
    }

    /** One VM's move; {@code request.to()} is null for {@code auto}. */
    public record Item(String vm, int wave, List<String> dependsOn, MigrationRequest request) {
        public Item {
            dependsOn = List.copyOf(dependsOn);
        }

        public boolean auto() { return request.to() == null; }
    }
}
