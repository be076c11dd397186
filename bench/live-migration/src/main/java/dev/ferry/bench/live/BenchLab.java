package dev.ferry.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.cli.lab.AddressPlan;
import dev.ferry.cli.lab.JavaCommand;
import dev.ferry.cli.lab.Lab;
import dev.ferry.cli.lab.LabConfigs;
import dev.ferry.cli.lab.LabException;
import dev.ferry.cli.lab.LabLayout;
import dev.ferry.cli.lab.LabPki;
import dev.ferry.cli.lab.LabServices;
import dev.ferry.cli.lab.LabState;
import dev.ferry.cli.lab.NetnsLab;
import dev.ferry.cli.lab.Shell;
import dev.ferry.cli.lab.Teardown;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Consumer;

/**
 * The benchmarks' hosts: the demo's network-namespace lab (controller and two or more agents as
 * processes; two hosts share a veth migration link, more hosts each have a link into a bridge), plus
 * what only the benchmarks need: shaping the links with tc, measuring TCP goodput between two
 * hosts, reading a host link's byte counters, and wrapper scripts that start a QEMU inside a host's
 * namespace for the baseline runs, which drive QEMU directly. It refuses to run without
 * namespaces: loopback has no link to shape. Shared by bench/live-migration and bench/evacuation;
 * {@code benchDir} is where {@code goodput.py} lives (bench/live-migration).
 */
public final class BenchLab implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Shell shell = new Shell(120);
    private final Consumer<String> say;
    private final Path benchDir;
    private Lab lab;
    private LabLayout layout;
    private LabState state;
    private LabServices.Running services;

    public BenchLab(Path benchDir, Consumer<String> say) {
        this.benchDir = benchDir;
        this.say = say;
    }

    public void start(Path workDir) { start(workDir, 2); }

    /** Starts a lab of {@code hosts} hosts (host-a, host-b, ...). */
    public void start(Path workDir, int hosts) {
        if (!Lab.isRoot()) throw new LabException("the benchmark needs root (network namespaces, tc)");
        lab = Lab.open(hosts, false, shell, say, l -> {});
        if (!(lab instanceof NetnsLab)) throw new LabException("the benchmark needs network namespaces; got a loopback lab");
        layout = LabLayout.create(workDir);
        state = LabState.fresh(layout, lab.plan().mode());
        LabPki.create(layout, lab.plan());
        for (AddressPlan.LabHost h : lab.plan().hosts()) LabConfigs.write(layout.agentConfig(h.name()), LabConfigs.agentYaml(layout, h));
        LabConfigs.write(layout.serverConfig(), LabConfigs.serverYaml(layout));
        services = LabServices.start(lab, layout, JavaCommand.current(), change -> state = change.apply(state), say);
        for (AddressPlan.LabHost h : lab.plan().hosts()) writeQemuWrapper(h);
    }

    public LabServices.Running services() { return services; }

    public LabLayout layout() { return layout; }

    public AddressPlan.LabHost host(String name) { return lab.plan().host(name); }

    /** A directory for one baseline run's QEMU files, inside the lab (so the teardown finds stray QEMUs). */
    public Path runDir(String name) { return layout.dir().resolve("direct").resolve(name); }

    /** {@code qemu-system-x86_64} started inside the host's namespace. */
    public Path qemuWrapper(String host) { return layout.dir().resolve("bin").resolve("qemu-" + host); }

    public void shape(String rate) { lab.shape(rate); }

    /** Bytes the source end of the migration link (host-a's) has sent so far. */
    public long wireBytesSent() { return wireBytesSent("host-a"); }

    /** Bytes {@code host}'s end of its migration link has sent so far. */
    public long wireBytesSent(String host) {
        AddressPlan.VethPair link = lab.plan().migrationLink(host);
        Shell.Result r = shell.check(List.of("ip", "-j", "-s", "-n", link.netns(), "link", "show", "dev", link.name()));
        try {
            JsonNode stats = JSON.readTree(r.output()).path(0).path("stats64").path("tx").path("bytes");
            if (!stats.canConvertToLong()) throw new LabException("ip -j -s link gave no tx bytes for " + link.name());
            return stats.asLong();
        } catch (IOException e) {
            throw new LabException("cannot read the counters of " + link.name() + ": " + e.getMessage());
        }
    }

    /** TCP payload rate from host-a to host-b over the migration link, bytes per second (about {@code seconds} of data). */
    public long goodput(double nominalBytesPerSec, double seconds) { return goodput("host-a", "host-b", nominalBytesPerSec, seconds); }

    /** TCP payload rate from {@code from} to {@code to} over the migration network, bytes per second. */
    public long goodput(String from, String to, double nominalBytesPerSec, double seconds) {
        AddressPlan.LabHost a = host(from), b = host(to);
        String script = benchDir.resolve("goodput.py").toString();
        long bytes = (long) (nominalBytesPerSec * seconds);
        try {
            Process recv = new ProcessBuilder(lab.onHost(b, List.of("python3", script, "recv", b.migrationIp(), "5301")))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(recv.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (!"listening".equals(first)) throw new LabException("goodput receiver did not start: " + first);
            shell.check(lab.onHost(a, List.of("python3", script, "send", b.migrationIp(), "5301", Long.toString(bytes))));
            JsonNode r = JSON.readTree(out.readLine());
            recv.waitFor();
            return Math.round(r.path("bytes").asLong() / r.path("seconds").asDouble());
        } catch (IOException e) {
            throw new LabException("goodput measurement failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }

    private void writeQemuWrapper(AddressPlan.LabHost h) {
        Path w = qemuWrapper(h.name());
        try {
            Files.createDirectories(w.getParent());
            Files.writeString(w, "#!/bin/sh\nexec ip netns exec " + h.netns() + " qemu-system-x86_64 \"$@\"\n");
            Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new LabException("cannot write " + w + ": " + e.getMessage());
        }
    }

    /** Stops everything and removes the lab; the logs stay when {@code keepLogs}. */
    public List<String> stop(boolean keepLogs) {
        if (layout == null) {
            if (lab != null) lab.destroy();
            return List.of();
        }
        List<String> problems = new Teardown(layout, lab).run(state, keepLogs);
        return problems == null ? List.of() : problems;
    }

    @Override
    public void close() { stop(true); }
}
