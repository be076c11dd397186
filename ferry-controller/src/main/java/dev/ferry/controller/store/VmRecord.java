package dev.ferry.controller.store;

import java.time.Instant;

/**
 * One VM in the controller's inventory: which host runs it, its last known state, and its spec as
 * JSON. The inventory mirrors what the agents report; the agents stay the source of truth.
 */
public record VmRecord(String name, String host, String state, String specJson, Instant updatedAt) {}
