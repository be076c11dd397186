package dev.ferry.api.host;

/**
 * A marker file in a storage pool, the evidence that two hosts' pools are one storage: the
 * controller asks one agent to write a random {@code token} into a file {@code file} of pool
 * {@code pool} and another agent to read that file from its own pool of that name; only if the
 * token comes back ({@code found}) do both see the same files. The file is removed afterwards.
 */
public record PoolMarker(String pool, String file, String token, boolean found) {}
