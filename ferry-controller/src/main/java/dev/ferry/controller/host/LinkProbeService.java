package dev.ferry.controller.host;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.client.HostProbeClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.LatencyProbe;
import dev.ferry.api.host.LinkMeasurement;
import dev.ferry.api.migration.LinkProbe;
import dev.ferry.controller.store.LinkStore;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code ferry host probe A B}: measures the migration network from A to B with the agents' own
 * probes and stores the result ({@link LinkStore}). Goodput is the live planner's link probe (A
 * sends filler over plain TCP to a one-connection listener on B's migration address for
 * {@link #SEND_MS} and times until B has read it all: the path and protocol QEMU's stream uses);
 * RTT is the mean of {@link #SAMPLES} one-byte TCP round trips to an echo listener on B's
 * migration address, and loss the share of as many ICMP echo requests unanswered, both sent by
 * A's agent from A's network namespace ({@link LatencyProbe}).
 */
public final class LinkProbeService implements LinkMeasurements {
    static final long SEND_MS = 2000;
    static final int SAMPLES = 20;

    private final AgentDirectory agents;
    private final LinkStore store;
    private final Clock clock;

    public LinkProbeService(AgentDirectory agents, LinkStore store, Clock clock) {
        this.agents = agents;
        this.store = store;
        this.clock = clock;
    }

    /** Measures, stores and returns the link from {@code from} to {@code to}. */
    public LinkMeasurement probe(String from, String to) {
        if (from.equals(to)) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a link probe needs two different hosts, not " + from + " twice");
        AgentClient src = agents.client(from);
        AgentClient dst = agents.client(to);
        LinkProbe.Target t = dst.openLinkProbe();
        LinkProbe.Result r = src.sendLinkProbe(new LinkProbe.Send(t.host(), t.port(), SEND_MS));
        LatencyProbe.Target echo = HostProbeClient.of(dst).openEcho();
        LatencyProbe.Result lat = HostProbeClient.of(src).measureLatency(new LatencyProbe.Measure(echo.host(), echo.port(), SAMPLES));
        LinkMeasurement m = new LinkMeasurement(from, to, r.bytesPerSec() / 1048576.0, lat.rttAvgMs(), lat.lossPercent(),
                java.time.Instant.ofEpochMilli(clock.millis()));
        store.add(m);
        return m;
    }

    @Override
    public Optional<LinkMeasurement> latest(String from, String to) { return store.latest(from, to); }

    public java.util.List<LinkMeasurement> latestOf(String host) { return store.latestOf(host); }
}
