package dev.ferry.api.transfer;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Progress of one disk transfer, as the sender or the receiver sees it.
 *
 * @param role           {@code send} or {@code receive}
 * @param state          waiting, running, reconnecting, finishing, done, failed or cancelled
 * @param path           source image (send) or final target image (receive)
 * @param virtualSize    guest-visible size of the image in bytes (0 until known)
 * @param doneBytes      logical bytes of the image covered so far (data and holes)
 * @param dataBytes      uncompressed data bytes sent (send) or written (receive), zeros excluded
 * @param wireBytes      bytes of protocol frames written by this side (before TLS)
 * @param chunksSent     chunks sent (send) or verified and written (receive)
 * @param chunksSkipped  chunks the receiver already had after a resume
 * @param chunksRejected chunks whose checksum did not match (rejected and sent again)
 * @param reconnects     connections after the first one
 * @param digest         SHA-256 whole-image digest (hex) once both sides agreed, else null
 * @param error          why the transfer failed, else null
 */
public record TransferStatus(String transferId, String role, String state, String path, long virtualSize,
                             long doneBytes, long dataBytes, long wireBytes, long chunksSent, long chunksSkipped,
                             long chunksRejected, int reconnects, String digest, String error, long elapsedMs) {
    @JsonIgnore
    public boolean isFinished() { return "done".equals(state) || "failed".equals(state) || "cancelled".equals(state); }

    @JsonIgnore
    public boolean isDone() { return "done".equals(state); }
}
