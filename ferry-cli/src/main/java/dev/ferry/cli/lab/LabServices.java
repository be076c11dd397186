package dev.ferry.cli.lab;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.error.FerryException;
import dev.ferry.pki.TlsIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * Brings the lab's services up: the controller (in the root namespace, on 127.0.0.1) and one agent
 * per host (inside the host's namespace), each a child {@code ferry} process started in parallel,
 * then waits until each is ready and actually reachable from here over mutual TLS, and registers
 * both hosts with the controller. Every started pid is recorded in the lab state at once, so a
 * Ctrl-C during start-up still finds everything to stop.
 */
public final class LabServices {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration REACH_TIMEOUT = Duration.ofSeconds(15);

    /** The running services: agent URLs by host, the controller URL and the demo's client TLS context. */
    public record Running(Map<String, String> agents, String controller, SSLContext ssl) {
        public AgentClient agent(String host) { return new AgentClient(ssl, URI.create(agents.get(host))); }

        public ControllerClient controllerClient() { return new ControllerClient(ssl, URI.create(controller)); }
    }

    private LabServices() {}

    public static Running start(Lab lab, LabLayout layout, JavaCommand java, Consumer<UnaryOperator<LabState>> record,
                                Consumer<String> say) {
        List<ProcessSupervisor.Child> children = new ArrayList<>();
        children.add(ProcessSupervisor.start("controller",
                java.ferry("server", "--config", layout.serverConfig().toString()), layout.log("controller")));
        for (AddressPlan.LabHost h : lab.plan().hosts()) {
            List<String> cmd = lab.onHost(h, java.ferry("agent", "--config", layout.agentConfig(h.name()).toString()));
            children.add(ProcessSupervisor.start(h.name(), cmd, layout.log(h.name())));
        }
        for (ProcessSupervisor.Child c : children) record.accept(s -> s.withProcess(c.name(), c.pid()));
        SSLContext ssl = TlsIdentity.load(layout.clientIdentity()).sslContext();
        String controller = "https://127.0.0.1:" + ProcessSupervisor.awaitReady(children.get(0), READY_TIMEOUT);
        record.accept(s -> s.withController(controller));
        Map<String, String> agents = new LinkedHashMap<>();
        for (int i = 0; i < lab.plan().hosts().size(); i++) {
            AddressPlan.LabHost h = lab.plan().hosts().get(i);
            String url = "https://" + h.apiIp() + ":" + ProcessSupervisor.awaitReady(children.get(i + 1), READY_TIMEOUT);
            agents.put(h.name(), url);
            record.accept(s -> s.withAgent(h.name(), url));
        }
        Running running = new Running(agents, controller, ssl);
        for (AddressPlan.LabHost h : lab.plan().hosts()) {
            awaitReachable(running.agent(h.name()), h, layout);
            running.controllerClient().registerHost(h.name(), agents.get(h.name()));
        }
        say.accept("controller on " + controller + "; agents " + agents.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("") + " (registered)");
        return running;
    }

    /** Proves the agent answers over its link (the veth from the root namespace, or loopback). */
    private static void awaitReachable(AgentClient agent, AddressPlan.LabHost h, LabLayout layout) {
        long deadline = System.nanoTime() + REACH_TIMEOUT.toNanos();
        while (true) {
            try {
                agent.host();
                return;
            } catch (FerryException e) {
                if (System.nanoTime() > deadline) {
                    throw new LabException(h.name() + "'s agent is up but " + agent.base() + " cannot be reached from here: "
                            + e.getMessage() + "; see " + layout.log(h.name()));
                }
                ProcessTools.sleep(200);
            }
        }
    }
}
