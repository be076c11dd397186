package dev.ferry.agent.vm;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.SpecValidator;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.qemu.launch.LaunchOptions;
import dev.ferry.qemu.launch.QemuLauncher;
import dev.ferry.qemu.launch.QemuProcess;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMs of one host and the operations on them. Every operation on a VM runs under that VM's
 * lock ({@link VmLocks}), checks the state it needs first and changes nothing when it refuses.
 * Definitions live in the {@link VmRepository}; running QEMU processes are found again after an
 * agent restart ({@link #reattachAll()}) instead of being killed.
 */
public final class VmManager {
    private static final Logger LOG = LoggerFactory.getLogger(VmManager.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String hostName;
    private final VmRepository repo;
    private final HostSpecCheck hostCheck;
    private final Supplier<LaunchOptions.Builder> launchOptions;
    private final VmLocks locks = new VmLocks();
    private final Map<String, VmRuntime> runtimes = new ConcurrentHashMap<>();

    public VmManager(String hostName, VmRepository repo, HostSpecCheck hostCheck, Supplier<LaunchOptions.Builder> launchOptions) {
        this.hostName = hostName;
        this.repo = repo;
        this.hostCheck = hostCheck;
        this.launchOptions = launchOptions;
    }

    /** Finds QEMU processes that outlived a previous agent and reconnects to them. */
    public void reattachAll() {
        for (VmSpec spec : repo.all()) {
            QemuProcess.attach(spec.name(), repo.runDir(spec.name()).resolve("qemu.pid"), repo.runDir(spec.name()).resolve("qmp.sock"))
                    .ifPresent(p -> {
                        try {
                            runtimes.put(spec.name(), VmRuntime.connect(p));
                            LOG.info("re-attached to {} (pid {})", spec.name(), p.pid());
                        } catch (FerryException e) {
                            LOG.warn("VM {} has a QEMU process (pid {}) but QMP does not answer: {}", spec.name(), p.pid(), e.getMessage());
                        }
                    });
        }
    }

    public VmInfo define(VmSpec requested) {
        SpecValidator.validate(requested);
        return locks.with(requested.name(), () -> {
            if (repo.exists(requested.name())) {
                throw new FerryException(ErrorCode.VM_EXISTS, "VM '" + requested.name() + "' is already defined on " + hostName);
            }
            hostCheck.check(requested);
            VmSpec spec = completeIdentity(requested);
            repo.save(spec);
            LOG.info("defined {}", spec.name());
            return info(spec, null);
        });
    }

    public VmInfo start(String name) {
        return locks.with(name, () -> {
            VmSpec spec = spec(name);
            if (liveRuntime(name).isPresent()) {
                throw new FerryException(ErrorCode.VM_RUNNING, "VM '" + name + "' is already running on " + hostName);
            }
            if (repo.isTemplate(name)) {
                throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' is a template and is never started;"
                        + " deploy a new VM from it instead");
            }
            hostCheck.check(spec);
            VmRuntime rt = launch(spec, false);
            LOG.info("started {} (pid {})", name, rt.process().pid());
            return info(spec, rt);
        });
    }

    public VmInfo stop(String name, StopRequest req) {
        return locks.with(name, () -> {
            VmSpec spec = spec(name);
            VmRuntime rt = requireRunning(name);
            boolean exited = false;
            if (!req.forced()) {
                rt.qmp().execute("system_powerdown");
                exited = rt.process().awaitExit(Duration.ofSeconds(req.timeoutOrDefault()));
                if (!exited) LOG.warn("{} ignored the ACPI power button for {} s; killing it", name, req.timeoutOrDefault());
            }
            if (!exited && !rt.process().kill(Duration.ofSeconds(10))) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "QEMU of '" + name + "' (pid " + rt.process().pid() + ") does not die");
            }
            forget(name);
            return info(spec, null);
        });
    }

    public VmInfo kill(String name) {
        return stop(name, new StopRequest(0, true));
    }

    public VmInfo pause(String name) {
        return locks.with(name, () -> {
            VmRuntime rt = requireRunning(name);
            rt.qmp().execute("stop");
            return info(spec(name), rt);
        });
    }

    public VmInfo resume(String name) {
        return locks.with(name, () -> {
            VmRuntime rt = requireRunning(name);
            VmState state = rt.state();
            if (state == VmState.MIGRATED || state == VmState.INCOMING) {
                throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' is " + state.json()
                        + " on " + hostName + "; resuming it here could run the guest twice");
            }
            rt.qmp().execute("cont");
            return info(spec(name), rt);
        });
    }

    public void undefine(String name) {
        locks.with(name, () -> {
            spec(name);
            if (liveRuntime(name).isPresent()) {
                throw new FerryException(ErrorCode.VM_RUNNING, "VM '" + name + "' is running on " + hostName + "; stop it first");
            }
            repo.delete(name);
            LOG.info("undefined {}", name);
            return null;
        });
    }

    public VmInfo show(String name) {
        VmSpec spec = spec(name);
        return info(spec, liveRuntime(name).orElse(null));
    }

    public List<VmInfo> list() {
        return repo.all().stream().map(s -> info(s, liveRuntime(s.name()).orElse(null))).toList();
    }

    /** The live runtime of a VM, for migration phases that drive QMP directly. */
    public VmRuntime requireRunning(String name) {
        spec(name);
        return liveRuntime(name).orElseThrow(() ->
                new FerryException(ErrorCode.VM_NOT_RUNNING, "VM '" + name + "' is not running on " + hostName));
    }

    public VmSpec spec(String name) {
        return repo.find(name).orElseThrow(() ->
                new FerryException(ErrorCode.VM_NOT_FOUND, "no VM named '" + name + "' on " + hostName));
    }

    public VmLocks locks() { return locks; }

    public VmRepository repository() { return repo; }

    /** Starts QEMU for a defined VM; {@code incoming} makes it a migration destination. Caller holds the lock. */
    public VmRuntime launch(VmSpec spec, boolean incoming) {
        LaunchOptions.Builder b = launchOptions.get()
                .runDir(repo.runDir(spec.name()))
                .serialLog(spec.serialLog() == null ? repo.defaultSerialLog(spec.name()) : java.nio.file.Path.of(spec.serialLog()))
                .incoming(incoming);
        QemuProcess p = QemuLauncher.launch(spec, b.build());
        try {
            VmRuntime rt = VmRuntime.connect(p);
            runtimes.put(spec.name(), rt);
            return rt;
        } catch (FerryException e) {
            p.kill(Duration.ofSeconds(5));
            throw e;
        }
    }

    /**
     * Closes every QMP connection and forgets the runtimes, leaving the QEMU processes running. QEMU's
     * monitor serves one client at a time, so an agent that stops must let go of it, or the next agent
     * on this host cannot re-attach to its guests.
     */
    public void detachAll() {
        for (String name : List.copyOf(runtimes.keySet())) forget(name);
    }

    /** Drops the runtime of a VM whose QEMU has gone. Caller holds the lock. */
    public void forget(String name) {
        VmRuntime rt = runtimes.remove(name);
        if (rt != null) rt.close();
    }

    private Optional<VmRuntime> liveRuntime(String name) {
        VmRuntime rt = runtimes.get(name);
        if (rt == null) return Optional.empty();
        if (!rt.isAlive()) {
            runtimes.remove(name, rt);
            rt.close();
            return Optional.empty();
        }
        return Optional.of(rt);
    }

    private VmInfo info(VmSpec spec, VmRuntime rt) {
        if (rt == null) return new VmInfo(spec.name(), hostName, VmState.SHUTOFF, null, null, spec);
        String status = rt.qemuStatus();
        VmState state = "unknown".equals(status) ? VmState.CRASHED : VmState.fromQemu(status);
        return new VmInfo(spec.name(), hostName, state, status, state == VmState.SHUTOFF ? null : rt.process().pid(), spec);
    }

    private VmSpec completeIdentity(VmSpec spec) {
        VmSpec s = spec.uuid() == null ? spec.withUuid(UUID.randomUUID().toString()) : spec;
        List<NicSpec> nics = s.nics().stream().map(n -> n.mac() == null ? n.withMac(randomMac()) : n).toList();
        return new VmSpec(s.name(), s.uuid(), s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(),
                s.boot(), s.disks(), nics, s.serialLog());
    }

    /** A locally administered unicast MAC in QEMU's 52:54:00 range. */
    static String randomMac() {
        return String.format("52:54:00:%02x:%02x:%02x", RANDOM.nextInt(256), RANDOM.nextInt(256), RANDOM.nextInt(256));
    }
}
