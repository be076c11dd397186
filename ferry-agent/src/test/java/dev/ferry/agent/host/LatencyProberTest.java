package dev.ferry.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.AgentConfig;
import dev.ferry.api.host.LatencyProbe;
import org.junit.jupiter.api.Test;

/** Both ends of a latency probe on loopback: the echo listener answers every one-byte round trip. */
class LatencyProberTest {
    @Test
    void timesRoundTripsThroughTheEchoListener() {
        LatencyProber prober = new LatencyProber(new AgentConfig("host-l", "127.0.0.1:0", "/nonexistent", "/nonexistent",
                "qemu-system-x86_64", "tcg", null, "127.0.0.1", null, null, null));
        LatencyProbe.Target target = prober.listen();
        assertThat(target.host()).isEqualTo("127.0.0.1");

        LatencyProbe.Result r = prober.measure(new LatencyProbe.Measure(target.host(), target.port(), 5));

        assertThat(r.samples()).isEqualTo(5);
        assertThat(r.rttMinMs()).isPositive().isLessThanOrEqualTo(r.rttAvgMs());
        assertThat(r.rttAvgMs()).isLessThanOrEqualTo(r.rttMaxMs());
        assertThat(r.lossProbes()).isEqualTo(5);
    }
}
