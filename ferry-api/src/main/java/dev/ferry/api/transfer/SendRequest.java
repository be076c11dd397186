package dev.ferry.api.transfer;

/**
 * Asks the sending agent to copy one disk of a stopped VM to a receiver prepared with
 * {@link ReceiveRequest}; {@code address}, {@code port} and {@code token} come from its
 * {@link ReceiveTicket}.
 *
 * @param compress     zstd-compress each chunk (worth it on slow links and compressible data)
 * @param maxBandwidth cap in bytes per second on what the sender writes; null or 0 is uncapped
 */
public record SendRequest(String transferId, String address, int port, String token, Boolean compress, Long maxBandwidth) {
    public boolean compressOrDefault() { return Boolean.TRUE.equals(compress); }

    public long maxBandwidthOrUncapped() { return maxBandwidth == null || maxBandwidth <= 0 ? 0 : maxBandwidth; }
}
