package dev.ferry.api.safety;

/**
 * Asks for a test migration: a point-in-time clone of {@code vm} booted on {@code to} with every NIC
 * on the isolated network, verified and removed again; the VM itself stays where it runs.
 */
public record TestMigrationRequest(String vm, String to) {}
