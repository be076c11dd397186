package dev.ferry.controller.assess;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.api.assess.Severity;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.DiskInfo;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.host.HostRegistry;
import dev.ferry.controller.store.HostRecord;
import dev.ferry.controller.store.HostStore;
import dev.ferry.controller.store.MaintenanceStore;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import dev.ferry.controller.migration.storage.StoragePlanner;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Placement} of the controller: gathers what one move needs to be judged (the VM's
 * spec and state and both hosts' inventories fresh from their agents, the VMs the inventory
 * places on the destination, the maintenance flag, marker proofs of shared pools) into an
 * {@link AssessmentInput} and runs every check over it ({@link HostChecks}, {@link CpuChecks},
 * {@link ResourceChecks}); blockers come first. Migrations ask it in their validate phase, the
 * CLI and REST through {@link AssessmentApi}, plans and evacuations through {@link Placement}.
 * {@link #recommend} ranks destinations with {@link RecommendationScore}.
 */
public final class Assessor implements Placement {
    /** One assessment with the figures behind it, for recommendations and ledgers. */
    record Evaluation(Assessment assessment, AssessmentInput input, Map<String, Long> copies) {}

    private final HostStore hosts;
    private final VmStore vms;
    private final MaintenanceStore maintenance;
    private final AgentDirectory agents;
    private final HostRegistry registry;
    private final PoolShareProver prover;
    private final CapacityPolicy policy;
    private final RecommendationScore scoring;
    private final Clock clock;

    public Assessor(HostStore hosts, VmStore vms, MaintenanceStore maintenance, AgentDirectory agents, HostRegistry registry,
                    PoolShareProver prover, CapacityPolicy policy, RecommendationScore scoring, Clock clock) {
        this.hosts = hosts;
        this.vms = vms;
        this.maintenance = maintenance;
        this.agents = agents;
        this.registry = registry;
        this.prover = prover;
        this.policy = policy;
        this.scoring = scoring;
        this.clock = clock;
    }

    /** Live (or warm) when the VM runs, cold when it does not; pool proofs as remembered. */
    @Override
    public Assessment assess(String vm, String destination, CapacityLedger ledger) {
        return assess(vm, destination, ledger, null, false);
    }

    /** {@code mode} live, warm or cold (null: by the VM's state); {@code reprove}: prove shared pools again now. */
    public Assessment assess(String vm, String destination, CapacityLedger ledger, String mode, boolean reprove) {
        return evaluate(vm, destination, ledger, mode, reprove, null).assessment();
    }

    /** The assessment a migration's validation makes of {@code req}: its mode, and the pool it names for copies. */
    public Assessment assessMigration(MigrationRequest req) {
        String pool = req.storage() == null ? null : req.storage().targetPool();
        return evaluate(req.vm(), req.to(), CapacityLedger.empty(), req.modeOrDefault(), false, pool).assessment();
    }

    public boolean inMaintenance(String host) { return maintenance.find(host).isPresent(); }

    public CapacityPolicy policy() { return policy; }

    @Override
    public List<Recommendation> recommend(String vm, CapacityLedger ledger) {
        String source = home(vm).host();
        List<Recommendation> out = new ArrayList<>();
        for (HostRecord h : hosts.all()) {
            if (h.name().equals(source)) continue;
            out.add(scoring.score(evaluate(vm, h.name(), ledger, null, false, null)));
        }
        out.sort(Comparator.comparingDouble(Recommendation::score).reversed().thenComparing(Recommendation::host));
        return out;
    }

    /**
     * Records in {@code ledger} what moving {@code vm} to {@code destination} commits: its memory
     * plus QEMU's overhead and its vCPUs leave the source and arrive there, and the bytes of the
     * disks copied along arrive in their destination pools. A plan calls it after each accepted item.
     */
    public void commit(String vm, String destination, CapacityLedger ledger) {
        Evaluation e = evaluate(vm, destination, ledger, null, false, null);
        VmSpec spec = e.input().spec();
        long mem = HostCapacity.memoryOf(spec) + policy.limitsOf(destination).vmOverheadMiB();
        int cpus = HostCapacity.vcpusOf(spec);
        String source = e.input().source().name();
        if (e.copies().isEmpty()) {
            ledger.move(source, destination, mem, cpus, null, 0);
            return;
        }
        boolean first = true;
        for (Map.Entry<String, Long> c : e.copies().entrySet()) {
            ledger.move(source, destination, first ? mem : 0, first ? cpus : 0, c.getKey(), c.getValue());
            first = false;
        }
    }

    Evaluation evaluate(String vm, String destination, CapacityLedger ledger, String mode, boolean reprove, String targetPool) {
        VmRecord home = home(vm);
        HostRecord dstRecord = hosts.find(destination).orElseThrow(() ->
                new FerryException(ErrorCode.HOST_NOT_FOUND, "no host named '" + destination + "' is registered"));
        AgentClient source = agents.client(home.host());
        VmInfo info = source.show(vm);
        HostInfo src = source.host();
        HostInfo dst = null;
        String why = null;
        try {
            dst = agents.client(destination).host();
        } catch (FerryException e) {
            why = e.getMessage();
        }
        String m = mode != null ? mode : info.state() == VmState.RUNNING || info.state() == VmState.PAUSED ? MigrationRequest.LIVE
                : MigrationRequest.COLD;
        List<DiskInfo> disks = disks(source, vm);
        Map<String, AssessmentInput.PoolProof> proofs = new LinkedHashMap<>();
        if (dst != null && !src.name().equals(dst.name())) {
            for (DiskSpec d : info.spec().disks()) {
                if (!StoragePlanner.onSharedPool(src, d)) continue;
                AssessmentInput.PoolProof p = prover.proveFor(src, dst, d.path(), reprove);
                if (p != null) proofs.put(d.id(), p);
            }
        }
        HostCapacity capacity = dst == null ? null : HostCapacity.of(dst, specsOn(destination, vm), ledger.on(destination),
                policy.limitsOf(destination));
        AssessmentInput in = new AssessmentInput(vm, info.spec(), info.state(), m, src, dst, destination, why,
                maintenance.find(destination).orElse(null), disks, proofs, capacity, cluster(src, dst), targetPool);
        Map<String, Long> copies = new LinkedHashMap<>();
        List<Finding> findings = run(in, policy.limitsOf(destination), copies);
        return new Evaluation(new Assessment(vm, src.name(), destination, clock.instant(), findings), in, copies);
    }

    /** Every check over {@code in}, blockers first, then warnings, then what was found fine. */
    static List<Finding> run(AssessmentInput in, CapacityPolicy.Limits limits, Map<String, Long> copies) {
        List<Finding> out = new ArrayList<>(HostChecks.preconditions(in));
        if (in.destination() != null && !in.source().name().equals(in.destinationName())) {
            out.addAll(HostChecks.qemu(in));
            out.addAll(HostChecks.machine(in));
            out.addAll(CpuChecks.check(in));
            out.addAll(HostChecks.networks(in));
            out.addAll(HostChecks.hostBound(in));
            out.addAll(ResourceChecks.compute(in, limits));
            out.addAll(ResourceChecks.storage(in, copies));
        }
        out.sort(Comparator.comparingInt((Finding f) -> order(f.severity())));
        return out;
    }

    private static int order(Severity s) { return s == Severity.BLOCKER ? 0 : s == Severity.WARNING ? 1 : 2; }

    private VmRecord home(String vm) {
        return vms.find(vm).orElseGet(() -> {
            registry.syncAll();
            return vms.find(vm).orElseThrow(() ->
                    new FerryException(ErrorCode.VM_NOT_FOUND, "no VM named '" + vm + "' runs on any registered host"));
        });
    }

    private static List<DiskInfo> disks(AgentClient source, String vm) {
        try {
            return StorageClient.of(source).disks(vm).disks();
        } catch (FerryException e) {
            return List.of();
        }
    }

    /**
     * The specs of the VMs the inventory places on {@code host} with a QEMU process (a shut-off VM
     * holds no memory), other than {@code vm} itself.
     */
    private List<VmSpec> specsOn(String host, String vm) {
        List<VmSpec> out = new ArrayList<>();
        for (VmRecord r : vms.all()) {
            if (!r.host().equals(host) || r.name().equals(vm) || r.specJson() == null || "shutoff".equals(r.state())) continue;
            try {
                out.add(Json.mapper().readValue(r.specJson(), VmSpec.class));
            } catch (IOException e) {
                throw new FerryException(ErrorCode.INTERNAL, "stored spec of VM '" + r.name() + "' is unreadable");
            }
        }
        return out;
    }

    /** Every registered host's inventory, with the fresh ones of source and destination. */
    private List<HostInfo> cluster(HostInfo src, HostInfo dst) {
        List<HostInfo> out = new ArrayList<>();
        for (HostRecord h : hosts.all()) {
            if (h.name().equals(src.name())) out.add(src);
            else if (dst != null && h.name().equals(dst.name())) out.add(dst);
            else if (h.infoJson() != null) out.add(registry.info(h));
        }
        return out;
    }
}
