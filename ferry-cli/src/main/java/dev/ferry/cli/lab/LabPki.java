package dev.ferry.cli.lab;

import dev.ferry.pki.ClusterCa;
import java.util.List;

/**
 * The lab's own cluster CA and the four identities it needs: one per host (naming the IPs the host
 * is reached at, its API and its migration address, because both the JDK and QEMU check them), the
 * controller (127.0.0.1) and the demo's client, which the printed CLI commands use too. It calls the
 * same {@link ClusterCa} API as {@code ferry pki}, so the demo exercises the real certificate path.
 */
public final class LabPki {
    public static final String CONTROLLER = "controller";
    public static final String CLIENT = "demo-client";

    private LabPki() {}

    public static void create(LabLayout layout, AddressPlan plan) {
        ClusterCa ca = ClusterCa.init(layout.caDir(), "ferry-demo");
        for (AddressPlan.LabHost h : plan.hosts()) {
            ca.issue(h.name(), h.certificateIps(), List.of(), layout.identity(h.name()));
        }
        ca.issue(CONTROLLER, List.of("127.0.0.1"), List.of("localhost"), layout.identity(CONTROLLER));
        ca.issue(CLIENT, List.of(), List.of(), layout.clientIdentity());
    }
}
