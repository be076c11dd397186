package dev.ferry.controller.migration;

/**
 * One step of a migration, in the manner of Proxmox's {@code AbstractMigrate} phases: {@link #run}
 * does the step; {@link #cleanup} undoes whatever {@code run} changed when this or a later phase
 * fails. Cleanups run in reverse order and each one always runs, even if another throws. A cleanup
 * reads the context's side-effect flags to decide what to undo, so it is safe after a partial run.
 */
public interface Phase {
    String name();

    void run(MigrationContext ctx);

    /**
     * False to skip this phase for this migration (it is then neither run, journaled nor cleaned
     * up); asked just before the phase would start, so earlier phases' findings count.
     */
    default boolean appliesTo(MigrationContext ctx) { return true; }

    default void cleanup(MigrationContext ctx) {}
}
