package dev.ferry.cli.lab;

import dev.ferry.api.client.ControllerClient;

/**
 * Shows a running migration to the user until it ends. The demo passes in the CLI's own progress
 * view ({@code ferry migration watch}), so what the demo shows is exactly what a user of the CLI
 * sees; the lab package does not depend on how that view is drawn.
 */
@FunctionalInterface
public interface MigrationFollower {
    /** Blocks until migration {@code id} has ended; the return value is not relied on. */
    int follow(ControllerClient controller, String id);
}
