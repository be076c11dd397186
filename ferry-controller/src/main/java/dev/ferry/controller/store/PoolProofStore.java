package dev.ferry.controller.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Remembered proofs that a pool declared shared is one storage on two hosts (a marker written
 * through {@code writer}'s pool was or was not read through {@code reader}'s), with when, so a
 * proof is repeated only when it is old or the operator asks.
 */
public interface PoolProofStore {
    record Proof(String writerHost, String writerPool, String readerHost, String readerPool, boolean shared, String detail,
                 Instant provenAt) {}

    /** Inserts or replaces the proof of this writer/reader pair. */
    void save(Proof p);

    Optional<Proof> find(String writerHost, String writerPool, String readerHost, String readerPool);
}
