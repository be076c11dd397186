package dev.ferry.controller.host;

import dev.ferry.api.client.HostProbeClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.controller.store.HostStore;
import dev.ferry.controller.store.MaintenanceStore;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry host maintenance on|off HOST}: the controller's record (persisted, so it survives
 * restarts) is what counts: migrations to a host in maintenance are refused with
 * HOST_IN_MAINTENANCE, the assessment reports it as a blocker, and recommendations never pick it.
 * The agent is told as well, so it refuses new VMs and incoming migrations by itself; an agent
 * that cannot be told right now does not stop the switch (the controller's refusal holds anyway).
 */
public final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    /** The state of one host, and whether its agent took the flag too. */
    public record State(String host, boolean enabled, java.time.Instant since, String reason, Boolean agentInformed) {}

    private final HostStore hosts;
    private final MaintenanceStore store;
    private final AgentDirectory agents;

    public Maintenance(HostStore hosts, MaintenanceStore store, AgentDirectory agents) {
        this.hosts = hosts;
        this.store = store;
        this.agents = agents;
    }

    public State set(String host, boolean on, String reason) {
        hosts.find(host).orElseThrow(() -> new FerryException(ErrorCode.HOST_NOT_FOUND, "no host named '" + host + "' is registered"));
        if (on) store.enable(host, reason);
        else store.disable(host);
        Boolean informed;
        try {
            HostProbeClient.of(agents.client(host)).maintenance(on);
            informed = true;
        } catch (FerryException e) {
            LOG.warn("host {}: maintenance {} recorded, but the agent was not told: {}", host, on ? "on" : "off", e.getMessage());
            informed = false;
        }
        State s = state(host);
        return new State(host, s.enabled(), s.since(), s.reason(), informed);
    }

    public State state(String host) {
        Optional<MaintenanceStore.Entry> e = store.find(host);
        return new State(host, e.isPresent(), e.map(MaintenanceStore.Entry::since).orElse(null),
                e.map(MaintenanceStore.Entry::reason).orElse(null), null);
    }

    public boolean isOn(String host) { return store.find(host).isPresent(); }

    public List<MaintenanceStore.Entry> all() { return store.all(); }

    /** Refuses with HOST_IN_MAINTENANCE when {@code host} is in maintenance; {@code what} names the refused operation. */
    public void requireNotInMaintenance(String host, String what) {
        Optional<MaintenanceStore.Entry> e = store.find(host);
        if (e.isPresent()) {
            throw new FerryException(ErrorCode.HOST_IN_MAINTENANCE, host + " is in maintenance since " + e.get().since()
                    + (e.get().reason() == null ? "" : " (" + e.get().reason() + ")") + "; " + what + " is refused"
                    + " (ferry host maintenance off " + host + " ends it)");
        }
    }
}
