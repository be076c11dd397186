package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import dev.ferry.pki.TlsIdentity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Post-copy recovery over a real network cut. Two agents run as processes in network namespaces of
 * their own, joined by a veth pair that carries only the migration stream (each namespace is also
 * joined to this one for its API); the controller runs in this JVM. A guest that pre-copy cannot
 * move within 50 ms at 16 MiB/s is migrated with --allow-postcopy; once it runs on the destination
 * in post-copy, the migration link is taken down ({@code ip link set ... down}) for 8 s and then
 * brought back. Ferry must notice the stalled stream, pause the post-copy, and recover it when the
 * link returns (destination {@code migrate-recover}, source {@code migrate resume=true}); the
 * guest's memory and disk checks must then pass on the destination. The namespaces, links, agents
 * and QEMUs are removed at the end whatever happened.
 */
@Tag("qemu")
class PostcopyRecoveryTest {
    private static final String VM = "vm-pc";
    /** Names and subnets of this run, so that two runs at once (or a demo lab) never meet. */
    private static final int RUN = new java.security.SecureRandom().nextInt(0x1000);
    private static final String TAG = String.format("%03x", RUN);
    private static final String NS_A = "ferry-pct" + TAG + "-a";
    private static final String NS_B = "ferry-pct" + TAG + "-b";
    private static final String MIG_A = "fp" + TAG + "-mig-a";
    private static final String NET = "10." + (220 + RUN % 30) + "." + (RUN / 30 % 80) * 3 + ".";

    @Test
    void aPostcopyWhoseLinkIsCutRecoversWhenTheLinkReturns() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        // Three /24s: NET+0 the migration link between the namespaces, NET+1 and NET+2 each namespace's API link to this one.
        String mig = subnet(0);
        String apiA = subnet(1);
        String apiB = subnet(2);
        AddressPlan plan = new AddressPlan(AddressPlan.NETNS,
                List.of(new AddressPlan.LabHost("host-a", NS_A, apiA + "2", mig + "1"),
                        new AddressPlan.LabHost("host-b", NS_B, apiB + "2", mig + "2")),
                List.of(NS_A, NS_B),
                List.of(new AddressPlan.VethPair(MIG_A, NS_A, mig + "1", "fp" + TAG + "-mig-b", NS_B, mig + "2"),
                        new AddressPlan.VethPair("fp" + TAG + "-a", null, apiA + "1", "fp" + TAG + "-a-api", NS_A, apiA + "2"),
                        new AddressPlan.VethPair("fp" + TAG + "-b", null, apiB + "1", "fp" + TAG + "-b-api", NS_B, apiB + "2")));
        assumeTrue(!new Shell(10).run(List.of("ip", "-4", "addr")).output().contains(" " + mig)
                && !new Shell(10).run(List.of("ip", "-4", "route")).output().contains(apiA), "the lab's subnets are in use here");
        Shell shell = new Shell(30);
        NetnsLab lab = new NetnsLab(plan, shell);
        Path dir = TestDirs.create("pcrec");
        List<ProcessSupervisor.Child> agents = new ArrayList<>();
        FerryController controller = null;
        lab.create();
        try {
            LabLayout layout = LabLayout.create(dir.resolve("lab"));
            LabPki.create(layout, plan);
            JavaCommand java = JavaCommand.current();
            for (AddressPlan.LabHost h : plan.hosts()) {
                LabConfigs.write(layout.agentConfig(h.name()), LabConfigs.agentYaml(layout, h));
                agents.add(ProcessSupervisor.start(h.name(), lab.onHost(h, java.ferry("agent", "--config",
                        layout.agentConfig(h.name()).toString())), layout.log(h.name())));
            }
            List<ServerConfig.Host> hosts = new ArrayList<>();
            for (int i = 0; i < agents.size(); i++) {
                AddressPlan.LabHost h = plan.hosts().get(i);
                hosts.add(new ServerConfig.Host(h.name(), "https://" + h.apiIp() + ":"
                        + ProcessSupervisor.awaitReady(agents.get(i), Duration.ofSeconds(120))));
            }
            controller = FerryController.start(new ServerConfig("127.0.0.1:0", layout.controllerState().toString(),
                    layout.identity(LabPki.CONTROLLER).toString(), null, hosts, 2));
            SSLContext ssl = TlsIdentity.load(layout.clientIdentity()).sslContext();
            ControllerClient api = new ControllerClient(ssl, URI.create("https://127.0.0.1:" + controller.port()));
            AgentClient a = new AgentClient(ssl, URI.create(hosts.get(0).url()));
            AgentClient b = new AgentClient(ssl, URI.create(hosts.get(1).url()));

            Path disk = TestGuest.createRawDisk(layout.shared(), VM + ".img", 64);
            a.define(TestGuest.spec(VM, 256, "ferry.mem=128 ferry.memwss=96 ferry.rate=80 ferry.disk=vda", disk));
            a.start(VM);
            GuestHealth before = awaitHealth(a, h -> h.heartbeat() != null && h.memoryPasses() != null && h.diskSeq() != null);

            MigrationView started = api.startMigration(new MigrationRequest(VM, "host-b", 50, 16, null, "live", true, null, null, null,
                    null));
            awaitEvent(api, started.id(), "switched to post-copy", Duration.ofSeconds(120));
            Thread.sleep(1000);
            shell.check(List.of("ip", "-n", NS_A, "link", "set", MIG_A, "down"));
            long cutAt = System.nanoTime();
            Thread.sleep(8000);
            shell.check(List.of("ip", "-n", NS_A, "link", "set", MIG_A, "up"));
            long cutMs = (System.nanoTime() - cutAt) / 1_000_000;
            MigrationView done = awaitFinished(api, started.id(), Duration.ofSeconds(400));

            System.out.println("MEASURED post-copy with an " + cutMs + " ms link cut: " + done.state() + " " + done.result());
            done.events().stream().filter(e -> List.of("plan", "escalate", "warning", "info").contains(e.kind()))
                    .forEach(e -> System.out.println("  " + e.kind() + ": " + e.message()));
            assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
            assertThat(done.result().strategy()).isEqualTo("postcopy");
            assertThat(hasEvent(done, "post-copy paused")).as(describe(done)).isTrue();
            assertThat(hasEvent(done, "post-copy recovered")).as(describe(done)).isTrue();
            GuestHealth after = awaitHealth(b, h -> h.heartbeat() != null && h.heartbeat() > before.heartbeat() + 10
                    && h.memoryPasses() != null && h.diskSeq() != null && h.diskSeq() > before.diskSeq());
            assertThat(after.ok()).as("guest on host-b: %s", after).isTrue();
            assertThat(after.corruptLines()).isZero();
            assertThat(a.list()).as("the source no longer has the VM").noneMatch(v -> v.name().equals(VM));
        } finally {
            if (controller != null) controller.close();
            for (ProcessSupervisor.Child c : agents) c.process().destroyForcibly();
            try {
                lab.destroy();
            } finally {
                QemuReaper.killAll(dir);
                TestDirs.deleteQuietly(dir);
            }
        }
        assertThat(lab.existingNamespaces()).isEmpty();
    }

    /** "10.X.Y." for the n-th /24 of this run. */
    private static String subnet(int n) {
        String[] p = NET.split("\\.");
        return p[0] + "." + p[1] + "." + (Integer.parseInt(p[2]) + n) + ".";
    }

    private static GuestHealth awaitHealth(AgentClient agent, Predicate<GuestHealth> ok) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            GuestHealth h = agent.guestHealth(VM);
            if (!h.ok()) throw new AssertionError("the guest reports a problem: " + h);
            if (ok.test(h)) return h;
            if (System.nanoTime() > deadline) throw new AssertionError("guest health not reached: " + h);
            Thread.sleep(200);
        }
    }

    private static void awaitEvent(ControllerClient api, String id, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (hasEvent(v, text)) return;
            if (v.isFinished() || System.nanoTime() > deadline) throw new AssertionError("no event '" + text + "': " + describe(v));
            Thread.sleep(100);
        }
    }

    private static MigrationView awaitFinished(ControllerClient api, String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (v.isFinished()) return v;
            if (System.nanoTime() > deadline) throw new AssertionError("not finished in time: " + describe(v));
            Thread.sleep(250);
        }
    }

    private static boolean hasEvent(MigrationView v, String text) {
        return v.events() != null && v.events().stream().anyMatch(e -> e.message() != null && e.message().contains(text));
    }

    private static String describe(MigrationView v) {
        return v.state() + " " + v.phase() + " " + v.errorMessage() + "\n" + (v.events() == null ? "" : v.events().stream()
                .map((MigrationEvent e) -> "  " + e.at() + " " + e.kind() + ": " + e.message()).collect(Collectors.joining("\n")));
    }
}
