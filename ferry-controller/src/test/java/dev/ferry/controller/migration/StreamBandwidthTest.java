package dev.ferry.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.controller.migration.plan.LiveInputs;
import dev.ferry.controller.migration.plan.LiveLimits;
import dev.ferry.controller.migration.plan.LivePlanner;
import dev.ferry.controller.migration.plan.ModelConstants;
import dev.ferry.controller.migration.plan.PlanDecision;
import org.junit.jupiter.api.Test;

/**
 * The bandwidth rule: what QEMU's max-bandwidth is set to and what the plan counts on agree, with
 * and without a cap; without one neither QEMU's 128 MiB/s default nor anything else holds the
 * stream below the link.
 */
class StreamBandwidthTest {
    private static final long MIB = 1L << 20;

    @Test
    void withoutACapQemuIsAllowedTheLinkAndThePlanUsesTheProbe() {
        StreamBandwidth rule = StreamBandwidth.of(request(null));

        assertThat(rule.isCapped()).isFalse();
        assertThat(rule.maxBandwidthBytes()).isEqualTo(StreamBandwidth.UNCAPPED_BYTES_PER_SEC)
                .isGreaterThan(OutgoingRequest.DEFAULT_MAX_BANDWIDTH_BYTES * 1000);
        assertThat(rule.plannedBytesPerSec(900 * MIB)).as("a link faster than QEMU's default").isEqualTo(900 * MIB);
        assertThat(rule.plannedBytesPerSec(40 * MIB)).isEqualTo(40 * MIB);
        assertThat(rule.plannedBytesPerSec(0L)).as("a probe that moved nothing still plans with a positive figure").isEqualTo(1);
        assertThat(rule.plannedSource(900 * MIB, "a probe")).contains("a probe", "the link sets the pace");
        assertThatThrownBy(() -> rule.plannedBytesPerSec(null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCapIsWhatQemuGetsAndWhatThePlanUsesUnlessTheLinkIsSlower() {
        StreamBandwidth rule = StreamBandwidth.of(request(20));

        assertThat(rule.maxBandwidthBytes()).isEqualTo(20 * MIB);
        assertThat(rule.plannedBytesPerSec(null)).isEqualTo(20 * MIB);
        assertThat(rule.plannedSource(null, null)).isEqualTo("the --bandwidth cap");
        assertThat(rule.plannedBytesPerSec(500 * MIB)).isEqualTo(20 * MIB);
        assertThat(rule.plannedSource(500 * MIB, "a probe")).contains("the 20 MiB/s cap, below the 500 MiB/s");
        assertThat(rule.plannedBytesPerSec(5 * MIB)).as("a link slower than the cap").isEqualTo(5 * MIB);
        assertThat(StreamBandwidth.capped(7 * MIB).maxBandwidthBytes()).as("a caller's share of a link").isEqualTo(7 * MIB);
    }

    @Test
    void aCapThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> StreamBandwidth.capped(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void theTransferRequestCarriesTheRulesMaxBandwidth() {
        OutgoingRequest uncapped = LiveSteering.request(context(request(null)), StreamBandwidth.of(request(null)));
        OutgoingRequest capped = LiveSteering.request(context(request(20)), StreamBandwidth.of(request(20)));

        assertThat(uncapped.maxBandwidthBytes()).isEqualTo(StreamBandwidth.UNCAPPED_BYTES_PER_SEC);
        assertThat(capped.maxBandwidthBytes()).isEqualTo(20 * MIB);
    }

    @Test
    void anUncappedPlanPredictsWithTheLinkNotQemusDefault() {
        // 256 MiB resident, nothing dirtied, a 1 GiB/s link: the first pass takes 0.25 s, not the 2 s at 128 MiB/s
        long link = StreamBandwidth.uncapped().plannedBytesPerSec(1024 * MIB);
        LiveInputs in = new LiveInputs(256 * MIB, 0, link, null, 256 * MIB);
        PlanDecision d = LivePlanner.plan(in, new LiveLimits(300, null, true, false), StreamBandwidth.uncapped().capBytesPerSec(),
                ModelConstants.DEFAULT);

        assertThat(d.refused()).isFalse();
        assertThat(d.plan().chosen().totalMs()).isLessThan(1000);
        assertThat(d.plan().parameters()).as("post-copy is not capped either").doesNotContainKey("max-postcopy-bandwidth");
    }

    private static MigrationRequest request(Integer bandwidthMiBps) {
        return new MigrationRequest("vm", "host-b", null, bandwidthMiBps, null);
    }

    private static MigrationContext context(MigrationRequest req) {
        MigrationContext ctx = new MigrationContext("m-1", req, "host-a", null, null, () -> false, null);
        ctx.destinationReady(new IncomingResponse("tcp:127.0.0.1:4444", "host-b"));
        return ctx;
    }
}
