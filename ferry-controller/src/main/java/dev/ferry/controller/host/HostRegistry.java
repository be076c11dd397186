package dev.ferry.controller.host;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.json.Json;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.store.HostRecord;
import dev.ferry.controller.store.HostStore;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers hosts and keeps the cluster inventory fresh. Registering asks the agent for its
 * inventory first, so only a reachable agent with a cluster certificate gets in, and records the
 * certificate fingerprint it presented. {@link #syncAll()} polls every agent for its host info and
 * VM list; an agent that does not answer is marked {@code unreachable}, its VMs kept as last seen.
 * The two transient halves of a migration (a destination still receiving, a source whose guest has
 * left) are not the VM's home and are left out of the inventory.
 */
public final class HostRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(HostRegistry.class);

    private final HostStore hosts;
    private final VmStore vms;
    private final AgentDirectory agents;

    public HostRegistry(HostStore hosts, VmStore vms, AgentDirectory agents) {
        this.hosts = hosts;
        this.vms = vms;
        this.agents = agents;
    }

    public HostRecord register(String name, String url) {
        AgentClient client = agents.clientFor(URI.create(url));
        HostInfo info = client.host();
        if (!info.name().equals(name)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "the agent at " + url + " is '" + info.name()
                    + "', not '" + name + "'");
        }
        Instant now = Instant.now();
        HostRecord rec = new HostRecord(name, url, info.migrationAddress(), info.certificateFingerprint(), info.accelerator(),
                info.qemuVersion(), json(info), hosts.find(name).map(HostRecord::registeredAt).orElse(now), now, "up");
        hosts.upsert(rec);
        syncVms(name, client);
        LOG.info("registered host {} at {}", name, url);
        return rec;
    }

    public void syncAll() {
        for (HostRecord h : hosts.all()) sync(h.name());
    }

    public void sync(String name) {
        try {
            AgentClient client = agents.client(name);
            HostInfo info = client.host();
            hosts.touch(name, Instant.now(), "up", json(info));
            syncVms(name, client);
        } catch (FerryException e) {
            if (e.code() == ErrorCode.HOST_NOT_FOUND) return;
            hosts.find(name).ifPresent(h -> hosts.touch(name, h.lastSeenAt(), "unreachable", h.infoJson()));
            LOG.debug("host {} did not answer: {}", name, e.getMessage());
        }
    }

    public HostInfo info(HostRecord h) {
        try {
            return Json.mapper().readValue(h.infoJson(), HostInfo.class);
        } catch (java.io.IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "stored inventory of " + h.name() + " is unreadable");
        }
    }

    private void syncVms(String host, AgentClient client) {
        List<VmInfo> list = client.list();
        Instant now = Instant.now();
        vms.replaceHost(host, list.stream()
                .filter(v -> v.state() != VmState.INCOMING && v.state() != VmState.MIGRATED)
                .map(v -> new VmRecord(v.name(), host, v.state().json(), json(v.spec()), now)).toList());
    }

    private static String json(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot serialize " + o.getClass().getSimpleName());
        }
    }
}
