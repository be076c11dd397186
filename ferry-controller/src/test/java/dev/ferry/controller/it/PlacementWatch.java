package dev.ferry.controller.it;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches two agents from the side while a test runs, because "no VM ever runs on two hosts" and
 * "one unfinished job per VM" are claims about every moment, not only about the end. A background
 * thread reads the agents' VM lists in turn, one every {@value #READ_MS} ms (so each agent about
 * every 150 ms). Two reads are never at the same instant, so a VM seen RUNNING on the source and
 * then on the destination may just have been handed over in between; the watch therefore reports
 * a VM only when three consecutive reads X, Y, X all see it RUNNING: then it was running on X
 * before and after the moment Y saw it running. (A guest paused on X, run on Y and then moved back
 * and resumed on X would be reported too: a false alarm, never a missed one.) When a controller is
 * reachable ({@link #follow}) each round also reads its migration list and records every VM with
 * more than one unfinished job; a controller that is down (killed, not yet restarted) is skipped.
 */
final class PlacementWatch implements AutoCloseable {
    static final long READ_MS = 75;

    private final List<TestAgent> agents;
    private final Thread thread;
    private final List<String> doubleRunning = new CopyOnWriteArrayList<>();
    private final List<String> doubleJobs = new CopyOnWriteArrayList<>();
    private final AtomicInteger agentReads = new AtomicInteger();
    private final AtomicInteger jobRounds = new AtomicInteger();
    private volatile ControllerClient controller;
    private volatile boolean stop;

    PlacementWatch(TestAgent x, TestAgent y) {
        this.agents = List.of(x, y);
        this.thread = new Thread(this::run, "placement-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Samples this controller's jobs from now on (null: none). */
    void follow(ControllerClient api) { this.controller = api; }

    /** "vm on host-a, host-b, host-a at read N" for every three consecutive reads that saw a VM RUNNING on two hosts. */
    List<String> doubleRunning() { return List.copyOf(doubleRunning); }

    /** "vm: [job1, job2]" for every sample of the controller's jobs that found two unfinished jobs of one VM. */
    List<String> doubleJobs() { return List.copyOf(doubleJobs); }

    int agentReads() { return agentReads.get(); }

    int jobRounds() { return jobRounds.get(); }

    private void run() {
        Set<String> older = null;
        Set<String> previous = null;
        for (int read = 0; !stop; read++) {
            TestAgent agent = agents.get(read % 2);
            Set<String> now = runningOn(agent);
            if (now == null) {
                older = null; // a failed read breaks the chain: the next triple starts afresh
                previous = null;
            } else {
                int n = agentReads.incrementAndGet();
                if (older != null) {
                    for (String vm : now) {
                        if (previous.contains(vm) && older.contains(vm)) {
                            doubleRunning.add(vm + " on " + Cluster.name(agent) + ", " + Cluster.name(agents.get((read + 1) % 2)) + ", "
                                    + Cluster.name(agent) + " at read " + n);
                        }
                    }
                }
                older = previous;
                previous = now;
            }
            if (read % 2 == 1) sampleJobs();
            try {
                Thread.sleep(READ_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The VMs the agent lists as RUNNING, or null if it did not answer. */
    private static Set<String> runningOn(TestAgent agent) {
        try {
            Set<String> out = new HashSet<>();
            for (VmInfo v : agent.client().list()) if (v.state() == VmState.RUNNING) out.add(v.name());
            return out;
        } catch (RuntimeException e) {
            return null;
        }
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
