package dev.ferry.cli.lab;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.pki.TlsIdentity;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Takes a lab down completely, in the order that loses nothing: guests are shut down through their
 * agents (the way a user would), the agents and the controller are stopped, any QEMU still using
 * the lab directory is killed (QEMU daemonizes, so it outlives its agent), the namespaces and veths
 * are deleted, and the work directory is removed (keeping only the logs when the demo failed).
 * Every step is best-effort and bounded in time, and it runs at most once whichever of success,
 * failure, Ctrl-C or {@code --stop} triggers it.
 */
public final class Teardown {
    private final LabLayout layout;
    private final Lab lab;
    private boolean done;

    public Teardown(LabLayout layout, Lab lab) {
        this.layout = layout;
        this.lab = lab;
    }

    /**
     * Runs the teardown once. Returns the problems it could not fix (empty when the host is clean
     * again), or null when an earlier call already ran it.
     */
    public synchronized List<String> run(LabState state, boolean keepLogs) {
        if (done) return null;
        done = true;
        stopGuests(state);
        List<Long> ours = state.pids().stream()
                .filter(pid -> ProcessTools.commandLine(pid).contains(layout.dir().toString())).toList();
        ProcessTools.stopAll(ours, 5000);
        ProcessTools.killAll(ProcessTools.qemusUsing(layout.dir()));
        List<String> problems = new ArrayList<>();
        try {
            lab.destroy();
        } catch (LabException e) {
            problems.add(e.getMessage());
        }
        List<Long> left = ProcessTools.qemusUsing(layout.dir());
        if (!left.isEmpty()) problems.add("QEMU processes " + left + " still use " + layout.dir());
        removeFiles(keepLogs, problems);
        LabState.clearMarker(layout.dir());
        return problems;
    }

    /** Asks every agent to shut its VMs down (ACPI, forced after 5 s), in parallel, for at most 15 s. */
    private void stopGuests(LabState state) {
        SSLContext ssl;
        try {
            ssl = TlsIdentity.load(layout.clientIdentity()).sslContext();
        } catch (RuntimeException e) {
            return; // no identity yet: nothing can have been started through an agent
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (String url : state.agents().values()) {
            stops.add(CompletableFuture.runAsync(() -> {
                AgentClient agent = new AgentClient(ssl, URI.create(url));
                for (VmInfo vm : agent.list()) {
                    if (vm.state().hasProcess()) agent.stop(vm.name(), new StopRequest(5, false));
                }
            }));
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            // an agent that is gone or hangs: its QEMU is killed below
        }
    }

    private void removeFiles(boolean keepLogs, List<String> problems) {
        if (keepLogs) copySerialLogs();
        if (keepLogs && isEmpty(layout.logs())) keepLogs = false; // nothing ran: nothing worth keeping
        try (Stream<Path> walk = Files.walk(layout.dir())) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (keepLogs && (p.startsWith(layout.logs()) || p.equals(layout.dir()))) continue;
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            problems.add("could not remove " + layout.dir() + ": " + e.getMessage());
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Saves each host's guest console log next to the process logs before the state goes. */
    private void copySerialLogs() {
        try (Stream<Path> logs = Files.exists(layout.dir().resolve("hosts")) ? Files.walk(layout.dir().resolve("hosts")) : Stream.empty()) {
            for (Path p : logs.filter(p -> p.getFileName().toString().equals("serial.log")).toList()) {
                Path rel = layout.dir().resolve("hosts").relativize(p);
                String name = rel.getName(0) + "-" + rel.getParent().getFileName() + "-serial.log";
                Files.copy(p, layout.logs().resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the process logs are still there
        }
    }
}
