package dev.ferry.controller.store;

import java.time.Instant;

/**
 * One registered host agent as the controller remembers it: where its API and migration endpoint
 * are, the certificate fingerprint it registered with, what it reported about itself
 * ({@code infoJson}, the agent's HostInfo as JSON), and when it was last heard from. Instants
 * are kept to the millisecond.
 */
public record HostRecord(String name, String apiUrl, String migrationAddress, String fingerprint, String accelerator,
                         String qemuVersion, String infoJson, Instant registeredAt, Instant lastSeenAt, String status) {}
