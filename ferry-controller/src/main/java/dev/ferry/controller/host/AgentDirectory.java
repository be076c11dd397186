package dev.ferry.controller.host;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.controller.store.HostRecord;
import dev.ferry.controller.store.HostStore;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Hands out one {@link AgentClient} per registered host, built with the controller's own client
 * certificate. Hosts are looked up in the store, so a host registered by another request (or before
 * a restart) is found.
 */
public final class AgentDirectory {
    private final SSLContext ssl;
    private final HostStore hosts;
    private final Map<String, AgentClient> clients = new ConcurrentHashMap<>();

    public AgentDirectory(SSLContext ssl, HostStore hosts) {
        this.ssl = ssl;
        this.hosts = hosts;
    }

    public AgentClient client(String host) {
        HostRecord h = hosts.find(host).orElseThrow(() ->
                new FerryException(ErrorCode.HOST_NOT_FOUND, "no host named '" + host + "' is registered"));
        return clients.compute(host, (k, old) -> old != null && old.base().toString().equals(h.apiUrl())
                ? old : new AgentClient(ssl, URI.create(h.apiUrl())));
    }

    public AgentClient clientFor(URI url) { return new AgentClient(ssl, url); }
}
