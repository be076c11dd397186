package dev.ferry.controller.plan;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.controller.assess.CapacityLedger;
import dev.ferry.controller.assess.Placement;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Fakes for the plan unit tests: a {@link Placement} with a memory capacity per host (so the ledger's
 * effect is visible) and pairs declared incompatible, and a {@link Migrations} engine whose jobs end
 * when the test says so, moving the VM in the {@link VmStore} like the real engine.
 */
final class FakeFleet implements Placement, Migrations {
    static final long HOST_MEMORY_MIB = 1024;

    final VmStore vms;
    final List<String> hosts;
    final Set<String> incompatible = new HashSet<>(); // "vm->host"
    final Set<String> maintenance = new HashSet<>();
    final Map<String, Job> jobs = new LinkedHashMap<>();
    final List<Long> bandwidthCalls = new ArrayList<>();
    final List<String> started = new ArrayList<>();

    static final class Job {
        final MigrationRequest req;
        final String source;
        String state = "running";
        String phase = "transfer";
        Instant finishedAt;
        Long bandwidth;

        Job(MigrationRequest req, String source) {
            this.req = req;
            this.source = source;
        }
    }

    FakeFleet(VmStore vms, List<String> hosts) {
        this.vms = vms;
        this.hosts = hosts;
    }

    void addVm(String name, String host, int memoryMiB) {
        vms.upsert(new VmRecord(name, host, "running", "{\"name\":\"" + name + "\",\"memoryMiB\":" + memoryMiB + ",\"vcpus\":1}",
                Instant.now()));
    }

    // --- Placement

    @Override
    public Assessment assess(String vm, String destination, CapacityLedger ledger) {
        VmRecord v = vms.find(vm).orElseThrow();
        List<Finding> f = new ArrayList<>();
        if (v.host().equals(destination)) f.add(Finding.blocker(FindingCode.SAME_HOST, vm + " already runs on " + destination));
        if (incompatible.contains(vm + "->" + destination)) f.add(Finding.blocker(FindingCode.CPU_MODEL_MISSING, "no such CPU on " + destination));
        if (maintenance.contains(destination)) f.add(Finding.blocker(FindingCode.HOST_IN_MAINTENANCE, destination + " is in maintenance"));
        long used = vms.onHost(destination).stream().mapToLong(r -> memory(r)).sum() + ledger.on(destination).memoryMiB();
        if (used + memory(v) > HOST_MEMORY_MIB) {
            f.add(Finding.blocker(FindingCode.MEMORY, destination + " has " + (HOST_MEMORY_MIB - used) + " MiB free, " + vm + " needs " + memory(v)));
        }
        f.add(Finding.info(FindingCode.VCPUS, "enough vCPUs"));
        return new Assessment(vm, v.host(), destination, Instant.now(), f);
    }

    @Override
    public List<Recommendation> recommend(String vm, CapacityLedger ledger) {
        List<Recommendation> out = new ArrayList<>();
        for (String h : hosts) {
            Assessment a = assess(vm, h, ledger);
            long free = HOST_MEMORY_MIB - vms.onHost(h).stream().mapToLong(FakeFleet::memory).sum() - ledger.on(h).memoryMiB();
            out.add(new Recommendation(h, a.movable() ? free : 0, List.of(free + " MiB free"), a));
        }
        out.sort(Comparator.comparingDouble(Recommendation::score).reversed());
        return out;
    }

    private static long memory(VmRecord r) {
        String s = r.specJson();
        int i = s.indexOf("\"memoryMiB\":") + 12;
        return Long.parseLong(s.substring(i, s.indexOf(',', i)));
    }

    // --- Migrations

    @Override
    public synchronized MigrationView start(MigrationRequest req) {
        if (active(req.vm()).isPresent()) throw new FerryException(ErrorCode.VM_BUSY, req.vm() + " is already migrating");
        String id = UUID.randomUUID().toString();
        Job j = new Job(req, vms.find(req.vm()).orElseThrow().host());
        j.bandwidth = req.bandwidthMiBps() == null ? null : req.bandwidthMiBps() * 1048576L;
        jobs.put(id, j);
        started.add(req.vm() + "->" + req.to());
        return view(id);
    }

    @Override
    public synchronized MigrationView view(String id) {
        Job j = jobs.get(id);
        MigrationResult r = "succeeded".equals(j.state) ? new MigrationResult(1234, 56L, null, 1L << 27, 3, null, null) : null;
        return new MigrationView(id, j.req.vm(), j.source, j.req.to(), j.req.modeOrDefault(), j.state, j.phase, null, r, null,
                "failed".equals(j.state) ? "boom" : null, Instant.now(), j.finishedAt, null);
    }

    @Override
    public synchronized void abort(String id) { end(id, "aborted"); }

    @Override
    public synchronized boolean setBandwidth(String id, long bytesPerSec) {
        Job j = jobs.get(id);
        if (j.finishedAt != null) return false;
        j.bandwidth = bytesPerSec;
        bandwidthCalls.add(bytesPerSec);
        return true;
    }

    @Override
    public synchronized Optional<MigrationRecord> active(String vm) {
        return jobs.entrySet().stream().filter(e -> e.getValue().req.vm().equals(vm) && e.getValue().finishedAt == null).findFirst()
                .map(e -> new MigrationRecord(e.getKey(), vm, e.getValue().source, e.getValue().req.to(), "live", "running", null, null,
                        null, null, null, null, false, Instant.now(), Instant.now(), null));
    }

    @Override
    public Optional<String> hostOf(String vm) { return vms.find(vm).map(VmRecord::host); }

    /** Ends the running job of {@code vm}: succeeded moves it to its destination. */
    synchronized void finish(String vm, boolean ok) {
        String id = active(vm).orElseThrow(() -> new AssertionError(vm + " has no running job")).id();
        end(id, ok ? "succeeded" : "failed");
    }

    /** Moves the running job of {@code vm} to the engine phase {@code phase}. */
    synchronized void phase(String vm, String phase) {
        jobs.get(active(vm).orElseThrow(() -> new AssertionError(vm + " has no running job")).id()).phase = phase;
    }

    synchronized List<String> running() {
        return jobs.values().stream().filter(j -> j.finishedAt == null).map(j -> j.req.vm()).toList();
    }

    private void end(String id, String state) {
        Job j = jobs.get(id);
        if (j.finishedAt != null) return;
        j.state = state;
        j.finishedAt = Instant.now();
        if ("succeeded".equals(state)) {
            VmRecord v = vms.find(j.req.vm()).orElseThrow();
            vms.upsert(new VmRecord(v.name(), j.req.to(), v.state(), v.specJson(), Instant.now()));
        }
    }
}
