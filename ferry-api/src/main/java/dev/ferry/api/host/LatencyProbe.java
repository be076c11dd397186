package dev.ferry.api.host;

/**
 * Round-trip time and packet loss from one host to another's migration address, measured by the
 * source agent: the destination opens a one-connection TCP echo listener ({@link Target}); the
 * source ({@link Measure}) sends {@code count} one-byte messages over one connection, each waiting
 * for its echo, and times them (RTT over the same TCP path QEMU's stream takes); for loss, which
 * TCP hides by retransmitting, it sends {@code count} ICMP echo requests
 * ({@code InetAddress.isReachable}, which uses ICMP when the agent runs as root) and counts the
 * unanswered ones. {@code lossMethod} says which of the two Java actually used.
 */
public final class LatencyProbe {
    private LatencyProbe() {}

    /** Where the destination's echo listener waits for its one connection. */
    public record Target(String host, int port) {}

    /** Asks the source to measure against {@code host:port} (the echo listener) with {@code count} samples (1..100). */
    public record Measure(String host, int port, int count) {}

    /** What the source measured: RTT over TCP (ms), and the loss of {@code lossProbes} echo requests. */
    public record Result(int samples, double rttMinMs, double rttAvgMs, double rttMaxMs, int lossProbes, int lost,
                         String lossMethod) {
        public double lossPercent() { return lossProbes == 0 ? 0 : 100.0 * lost / lossProbes; }
    }
}
