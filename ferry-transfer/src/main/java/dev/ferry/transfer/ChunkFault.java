package dev.ferry.transfer;

/**
 * Test hook of the sender: may replace the bytes of a chunk as they go on the wire, after the
 * checksum was computed, to prove that the receiver detects and refuses a damaged chunk.
 */
@FunctionalInterface
public interface ChunkFault {
    ChunkFault NONE = (windowOffset, attempt, data) -> data;

    /** Returns what to send instead of {@code data} (the encoded chunk data) on this attempt. */
    byte[] apply(long windowOffset, int attempt, byte[] data);
}
