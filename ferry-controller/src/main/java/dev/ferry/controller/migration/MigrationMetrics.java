package dev.ferry.controller.migration;

import dev.ferry.api.migration.MigrationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus metrics of migrations, labelled by VM and hosts (never by job id, which would grow
 * without bound): counts by outcome, duration, downtime, bytes sent, and how many run now.
 */
public final class MigrationMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();

    public MigrationMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("ferry_migrations_in_flight", inFlight);
    }

    void started() { inFlight.incrementAndGet(); }

    void finished(String vm, String source, String dest, String outcome, Duration took, MigrationResult result) {
        inFlight.decrementAndGet();
        String[] tags = {"vm", vm, "source", source, "destination", dest};
        Counter.builder("ferry_migrations").tags(tags).tag("outcome", outcome)
                .description("migrations by outcome").register(registry).increment();
        Timer.builder("ferry_migration_duration").tags(tags).tag("outcome", outcome)
                .description("wall time of migration jobs").register(registry).record(took);
        if (result != null) {
            if (result.downtimeMs() != null) {
                DistributionSummary.builder("ferry_migration_downtime_seconds").tags(tags).baseUnit("seconds")
                        .description("guest pause at switchover as QEMU measured it").register(registry)
                        .record(result.downtimeMs() / 1000.0);
            }
            Counter.builder("ferry_migration_transferred_bytes").tags(tags).baseUnit("bytes")
                    .description("bytes sent by migration streams").register(registry).increment(result.transferredBytes());
        }
    }
}
