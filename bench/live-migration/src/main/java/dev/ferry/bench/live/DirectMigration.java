package dev.ferry.bench.live;

import dev.ferry.agent.migration.MigrationQmp;
import dev.ferry.agent.migration.MigrationStatsReader;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.cli.lab.AddressPlan;
import dev.ferry.cli.lab.DemoGuest;
import dev.ferry.cli.lab.GuestConsole;
import dev.ferry.qemu.launch.Accelerator;
import dev.ferry.qemu.launch.LaunchOptions;
import dev.ferry.qemu.launch.QemuLauncher;
import dev.ferry.qemu.launch.QemuProcess;
import dev.ferry.qemu.qmp.QmpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One baseline migration, driven straight through QMP the way a tool without Ferry would: a source
 * QEMU in host-a's namespace, an incoming one in host-b's, the same TLS identities Ferry's agents
 * use (so the stream costs the same CPU), the policy's capabilities and parameters, {@code migrate},
 * then a reading every {@link #POLL_MS} ms that the policy may act on. A run still going at the bench
 * ceiling is cancelled. Afterwards the guest's own console says whether it is intact where it ended.
 */
final class DirectMigration {
    static final long POLL_MS = 100;
    private static final Duration QMP_CONNECT = Duration.ofSeconds(10);

    private final BenchLab lab;
    private final BenchSettings settings;
    private final DemoGuest.Boot boot;
    private int runs;

    DirectMigration(BenchLab lab, BenchSettings settings, DemoGuest.Boot boot) {
        this.lab = lab;
        this.settings = settings;
        this.boot = boot;
    }

    Outcome run(String name, String link, Workload w, double goodputMiBps, long goodput, BaselinePolicy policy) {
        VmSpec spec = spec(boot, name, w.cmdline(goodputMiBps));
        AddressPlan.LabHost dst = lab.host("host-b");
        QemuProcess src = QemuLauncher.launch(spec, options("host-a", name + "-src", false));
        QemuProcess dest = null;
        try (QmpClient sq = QmpClient.connect(src.qmpSocket(), QMP_CONNECT)) {
            Path srcLog = lab.runDir(name + "-src").resolve("serial.log");
            GuestConsoleWait.ready(srcLog, Duration.ofSeconds(90));
            sleep(settings.settleMs());
            long memory = (long) Workload.GUEST_MEMORY_MIB << 20;
            long nonZero = GuestMemory.nonZeroBytes(sq, memory, lab.runDir(name + "-src").resolve("mem.dump"));
            dest = QemuLauncher.launch(spec, options("host-b", name + "-dst", true));
            try (QmpClient dq = QmpClient.connect(dest.qmpSocket(), QMP_CONNECT)) {
                String uri = "tcp:" + dst.migrationIp() + ":" + (settings.migrationPort() + runs++ % 100);
                prepare(dq, "server", lab.layout().identity("host-b"), policy.capabilities());
                dq.execute("migrate-set-parameters", Map.of("tls-creds", MigrationQmp.TLS_ID));
                dq.execute("migrate-incoming", Map.of("uri", uri));
                prepare(sq, "client", lab.layout().identity("host-a"), policy.capabilities());
                Map<String, Object> params = new LinkedHashMap<>(policy.parameters());
                params.put("tls-creds", MigrationQmp.TLS_ID);
                params.put("tls-hostname", dst.migrationIp());
                sq.execute("migrate-set-parameters", params);
                return follow(sq, uri, policy, link, w, nonZero, goodput, lab.runDir(name + "-dst").resolve("serial.log"), srcLog);
            }
        } finally {
            src.kill(Duration.ofSeconds(5));
            if (dest != null) dest.kill(Duration.ofSeconds(5));
        }
    }

    private Outcome follow(QmpClient sq, String uri, BaselinePolicy policy, String link, Workload w, long nonZero, long goodput,
                           Path dstLog, Path srcLog) {
        long wire0 = lab.wireBytesSent();
        long t0 = System.nanoTime();
        sq.execute("migrate", Map.of("uri", uri));
        String end = null, step = null;
        Integer maxThrottle = null;
        MigrationStats s;
        MigrationStats lastActive = null;
        while (true) {
            sleep(POLL_MS);
            s = MigrationStatsReader.fromQueryMigrate(sq.execute("query-migrate"));
            if (!s.isFinished()) lastActive = s;
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            if (s.throttlePercent() != null) maxThrottle = Math.max(maxThrottle == null ? 0 : maxThrottle, s.throttlePercent());
            if (s.isFinished()) break;
            if (end != null) continue; // cancelling: wait for QEMU to say cancelled
            BaselinePolicy.Step next = policy.onReading(elapsed, s);
            if (next.downtimeLimitMs() != null) sq.execute("migrate-set-parameters", Map.of("downtime-limit", next.downtimeLimitMs()));
            if (next.why() != null) step = next.why();
            if (next.abort() || elapsed > settings.ceilingMs()) {
                end = next.abort() ? "aborted by the policy: " + next.why() : "stopped at the bench ceiling (" + settings.ceilingMs() / 1000 + " s)";
                sq.execute("migrate_cancel");
            }
        }
        long wire = lab.wireBytesSent() - wire0;
        long jobMs = (System.nanoTime() - t0) / 1_000_000;
        boolean done = "completed".equals(s.status());
        if (end == null) end = done ? "completed" : s.status() + (s.error() == null ? "" : ": " + s.error());
        Path log = done ? dstLog : srcLog;
        String check = GuestConsoleWait.verdict(log, done ? GuestConsole.Mark.START : GuestConsole.mark(log), Duration.ofSeconds(20));
        // a cancelled migration reports no figures any more: its last reading while it ran stands for it
        MigrationStats figures = done || lastActive == null ? s : lastActive;
        return new Outcome(link, w.id(), policy.name(), done, end, figures.totalTimeMs() > 0 ? figures.totalTimeMs() : jobMs,
                done ? s.downtimeMs() : null, figures.transferredBytes(), wire, jobMs, nonZero, goodput, null, null,
                step == null ? "-" : step, maxThrottle, check);
    }

    /** The same TLS credentials and capabilities an agent would install (the agent's own QMP helpers). */
    private static void prepare(QmpClient qmp, String endpoint, Path identity, Map<String, Boolean> caps) {
        MigrationQmp.installTlsCredentials(qmp, identity, endpoint);
        MigrationQmp.setCapabilities(qmp, caps);
    }

    private LaunchOptions options(String host, String run, boolean incoming) {
        Path dir = lab.runDir(run);
        return LaunchOptions.builder().qemuBinary(lab.qemuWrapper(host).toString()).accelerator(Accelerator.TCG).runDir(dir)
                .serialLog(dir.resolve("serial.log")).incoming(incoming).build();
    }

    static VmSpec spec(DemoGuest.Boot g, String name, String cmdline) {
        return new VmSpec(name, null, 1, Workload.GUEST_MEMORY_MIB, "qemu64", "q35", Firmware.BIOS,
                new BootSpec(g.kernel().toString(), g.initrd().toString(), cmdline, null), List.of(), List.of(), null);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
