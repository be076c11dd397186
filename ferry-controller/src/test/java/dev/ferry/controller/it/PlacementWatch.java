package dev.ferry.controller.it;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches a cluster from the side while a test runs, because "no VM ever runs on two hosts" and
 * "one unfinished job per VM" are claims about every moment, not only about the end: a background
 * thread reads every agent's VM list every {@value #PERIOD_MS} ms and records each VM seen RUNNING
 * on two hosts in the same round; when a controller is reachable ({@link #follow}) it also reads
 * its migration list and records each VM with more than one unfinished job. A controller that is
 * down (killed, not yet restarted) is simply not sampled.
 */
final class PlacementWatch implements AutoCloseable {
    static final long PERIOD_MS = 150;

    private final List<TestAgent> agents;
    private final Thread thread;
    private final List<String> doubleRunning = new CopyOnWriteArrayList<>();
    private final List<String> doubleJobs = new CopyOnWriteArrayList<>();
    private final AtomicInteger agentRounds = new AtomicInteger();
    private final AtomicInteger jobRounds = new AtomicInteger();
    private volatile ControllerClient controller;
    private volatile boolean stop;

    PlacementWatch(List<TestAgent> agents) {
        this.agents = List.copyOf(agents);
        this.thread = new Thread(this::run, "placement-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Samples this controller's jobs from now on (null: none). */
    void follow(ControllerClient api) { this.controller = api; }

    /** "vm on [host-a, host-b] at round N" for every round that saw a VM RUNNING on two hosts. */
    List<String> doubleRunning() { return List.copyOf(doubleRunning); }

    /** "vm: [job1, job2]" for every sample of the controller's jobs that found two unfinished jobs of one VM. */
    List<String> doubleJobs() { return List.copyOf(doubleJobs); }

    int agentRounds() { return agentRounds.get(); }

    int jobRounds() { return jobRounds.get(); }

    private void run() {
        while (!stop) {
            sampleAgents();
            sampleJobs();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleAgents() {
        Map<String, List<String>> running = new HashMap<>();
        try {
            for (TestAgent a : agents) {
                for (VmInfo v : a.client().list()) {
                    if (v.state() == VmState.RUNNING) running.computeIfAbsent(v.name(), n -> new ArrayList<>()).add(Cluster.name(a));
                }
            }
        } catch (RuntimeException e) {
            return; // an agent busy for a moment: this round does not count
        }
        int round = agentRounds.incrementAndGet();
        running.forEach((vm, hosts) -> {
            if (hosts.size() > 1) doubleRunning.add(vm + " on " + hosts + " at round " + round);
        });
    }

    private void sampleJobs() {
        ControllerClient api = controller;
        if (api == null) return;
        List<MigrationView> jobs;
        try {
            jobs = api.migrations();
        } catch (RuntimeException e) {
            return; // the controller is down or starting
        }
        jobRounds.incrementAndGet();
        Map<String, List<String>> unfinished = new HashMap<>();
        for (MigrationView m : jobs) if (!m.isFinished()) unfinished.computeIfAbsent(m.vm(), n -> new ArrayList<>()).add(m.id());
        unfinished.forEach((vm, ids) -> {
            if (ids.size() > 1) doubleJobs.add(vm + ": " + ids);
        });
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
