package dev.ferry.api.migration;

/**
 * Measures the link between two hosts' migration addresses before a live migration, when the user
 * gave no bandwidth cap: the destination listens once ({@link Target}), the source sends filler
 * bytes for a short while and times how long the destination took to read them ({@link Result}).
 * Plain TCP on purpose: it measures the path QEMU's stream takes, and carries no data of any guest.
 */
public final class LinkProbe {
    private LinkProbe() {}

    /** Where the destination listens for one probe connection. */
    public record Target(String host, int port) {}

    /** Asks the source to send to {@code host:port} for {@code durationMs} (at most 5000). */
    public record Send(String host, int port, long durationMs) {}

    /** What the source measured: bytes the destination read, and how long until it had read them all. */
    public record Result(long bytes, long elapsedMs) {
        public long bytesPerSec() { return elapsedMs <= 0 ? 0 : bytes * 1000 / elapsedMs; }
    }
}
