package dev.ferry.controller.modes;

/**
 * The post-migration monitoring window of the test clusters' controllers. Every migration ends
 * with the monitor phase; the production default (10 s) would add that to each of the suite's
 * many migrations, so the clusters watch for 3 s: long enough for every check to read the guest
 * several times (its heartbeat ticks well within a second), short enough to keep the suite lean.
 * Tests of the monitoring itself ask for their own window per request.
 */
public final class TestMonitor {
    public static final int SECONDS = 3;

    private TestMonitor() {}
}
