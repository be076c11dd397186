package dev.ferry.agent;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's configuration file ({@code ferry agent --config agent.yaml}). Everything host-specific
 * lives here: where state is kept, which certificate identifies the host, which QEMU runs guests,
 * which storage pools and networks VMs may use, and the address migration streams arrive on.
 *
 * @param listen      {@code host:port} the mutual-TLS API listens on (port 0 = any free port)
 * @param accelerator auto (probe KVM with a real guest, fall back to TCG), kvm or tcg
 * @param probeGuest  the kernel and initrd the KVM probe boots; without one, auto means TCG
 * @param machineTypes the machine types this host offers its VMs (names or aliases, e.g. {@code q35});
 *                    absent means every type its QEMU has. An operator narrows it to keep a fleet on
 *                    types every host can run; VMs of other types are refused here, and the
 *                    controller's assessment sees only the allowed ones.
 */
public record AgentConfig(
        String name,
        String listen,
        String stateDir,
        String tlsDir,
        String qemuBinary,
        String accelerator,
        ProbeGuest probeGuest,
        String migrationAddress,
        List<Pool> pools,
        List<NetworkDef> networks,
        String uefiFirmware,
        List<String> machineTypes) {

    public record ProbeGuest(String kernel, String initrd) {}

    public record Pool(String name, String path, Boolean shared) {
        public boolean isShared() { return Boolean.TRUE.equals(shared); }
    }

    public AgentConfig {
        pools = pools == null ? List.of() : List.copyOf(pools);
        networks = networks == null ? List.of(NetworkDef.user("user")) : List.copyOf(networks);
        machineTypes = machineTypes == null ? null : List.copyOf(machineTypes);
    }

    /** A configuration offering every machine type of the host's QEMU (the form before {@code machineTypes} existed). */
    public AgentConfig(String name, String listen, String stateDir, String tlsDir, String qemuBinary, String accelerator,
                       ProbeGuest probeGuest, String migrationAddress, List<Pool> pools, List<NetworkDef> networks,
                       String uefiFirmware) {
        this(name, listen, stateDir, tlsDir, qemuBinary, accelerator, probeGuest, migrationAddress, pools, networks, uefiFirmware,
                null);
    }

    public static AgentConfig load(Path file) {
        AgentConfig c;
        try {
            c = Json.yaml().readValue(file.toFile(), AgentConfig.class);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "cannot read agent config " + file + ": " + e.getMessage());
        }
        c.validate(file);
        return c;
    }

    private void validate(Path file) {
        List<String> p = new ArrayList<>();
        if (name == null || !dev.ferry.api.spec.SpecValidator.NAME.matcher(name).matches()) p.add("name is missing or invalid");
        if (listen == null || !listen.matches(".+:\\d+")) p.add("listen must be host:port");
        if (stateDir == null) p.add("stateDir is required");
        if (tlsDir == null) p.add("tlsDir is required (a directory issued by 'ferry pki issue')");
        if (accelerator != null && !List.of("auto", "kvm", "tcg").contains(accelerator)) p.add("accelerator must be auto, kvm or tcg");
        for (Pool pool : pools) {
            if (pool.name() == null || pool.path() == null || !pool.path().startsWith("/")) {
                p.add("every pool needs a name and an absolute path");
            }
        }
        if (!p.isEmpty()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, file + ": " + String.join("; ", p));
    }

    public String listenHost() { return listen.substring(0, listen.lastIndexOf(':')); }

    public int listenPort() { return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)); }

    public String qemu() { return qemuBinary == null ? "qemu-system-x86_64" : qemuBinary; }

    public String migrationAddressOrListen() { return migrationAddress == null ? listenHost() : migrationAddress; }
}
