package dev.ferry.agent;

import dev.ferry.agent.host.AgentMaintenance;
import dev.ferry.agent.host.HostInventory;
import dev.ferry.agent.host.HostProbeApi;
import dev.ferry.agent.host.LatencyProber;
import dev.ferry.agent.host.PoolMarkers;
import dev.ferry.agent.host.QemuCapabilities;
import dev.ferry.agent.imports.ImportService;
import dev.ferry.agent.migration.MigrationService;
import dev.ferry.agent.storage.StorageApi;
import dev.ferry.agent.storage.StorageService;
import dev.ferry.agent.transfer.TransferApi;
import dev.ferry.agent.transfer.TransferService;
import dev.ferry.agent.vm.HostSpecCheck;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRepository;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.pki.TlsIdentity;
import dev.ferry.qemu.img.QemuImg;
import dev.ferry.qemu.launch.Accelerator;
import dev.ferry.qemu.launch.AcceleratorProbe;
import dev.ferry.qemu.launch.LaunchOptions;
import dev.ferry.web.MtlsServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running host agent: wires the configuration, the VM manager, the inventory and the mutual-TLS
 * API together, re-attaches to guests that outlived a previous agent, and serves until closed.
 * Closing the agent never stops guests: QEMU processes are independent of the agent's lifetime.
 */
public final class FerryAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FerryAgent.class);

    private final AgentConfig config;
    private final VmManager vms;
    private final HostInventory inventory;
    private final MtlsServer server;
    private final MigrationService migrations;
    private TransferService transfers;

    private FerryAgent(AgentConfig config, VmManager vms, HostInventory inventory, MtlsServer server, MigrationService migrations) {
        this.migrations = migrations;
        this.config = config;
        this.vms = vms;
        this.inventory = inventory;
        this.server = server;
    }

    public static FerryAgent start(AgentConfig config) {
        TlsIdentity identity = TlsIdentity.load(Path.of(config.tlsDir()));
        Path stateDir = Path.of(config.stateDir());
        QemuCapabilities caps = QemuCapabilities.probe(config.qemu(), stateDir.resolve("probe"), "tcg");
        AcceleratorProbe.Result accel = AcceleratorChoice.choose(config, caps, stateDir);
        // CPU models' unavailable features depend on the accelerator: ask again with the one guests run with.
        if (accel.accelerator() != Accelerator.TCG) {
            caps = QemuCapabilities.probe(config.qemu(), stateDir.resolve("probe"), accel.accelerator().name().toLowerCase());
        }
        caps = caps.allowingMachines(config.machineTypes());
        LOG.info("host {}: QEMU {}, accelerator {} ({})", config.name(), caps.version(), accel.accelerator(), accel.reason());
        Map<String, NetworkDef> networks = new java.util.HashMap<>(config.networks().stream()
                .collect(Collectors.toMap(NetworkDef::name, Function.identity())));
        networks.putIfAbsent(NetworkDef.ISOLATED, NetworkDef.isolated());
        VmRepository repo = new VmRepository(stateDir);
        VmManager vms = new VmManager(config.name(), repo, new HostSpecCheck(config, QemuImg.system()),
                () -> LaunchOptions.builder().qemuBinary(config.qemu()).accelerator(accel.accelerator())
                        .networks(networks).firmwareUefi(config.uefiFirmware()));
        vms.reattachAll();
        HostInventory inventory = new HostInventory(config, caps, accel.accelerator().name().toLowerCase(),
                accel.reason(), identity.fingerprintSha256());
        MigrationService migrations = new MigrationService(config, vms, caps.version());
        AgentMaintenance maintenance = new AgentMaintenance(stateDir, config.name());
        inventory.maintenance(maintenance::isOn);
        AgentApi api = new AgentApi(vms, inventory, migrations, maintenance);
        TransferService transfers = new TransferService(config, vms, identity.sslContext(), QemuImg.system());
        TransferApi transferApi = new TransferApi(transfers);
        StorageApi storageApi = new StorageApi(new StorageService(config, vms, migrations::guestHealth), migrations.storage());
        ImportService imports = new ImportService(config, vms, QemuImg.system());
        HostProbeApi probes = new HostProbeApi(new PoolMarkers(config), new LatencyProber(config), maintenance);
        MtlsServer server = MtlsServer.start(identity.sslContext(), config.listenHost(), config.listenPort(), c -> {
            api.register(c);
            imports.register(c);
            storageApi.register(c);
            transferApi.register(c);
            probes.register(c);
            new dev.ferry.agent.safety.SafetyApi(vms, migrations::guestHealth, config.networks()).register(c);
        });
        LOG.info("agent {} listening on https://{}:{}", config.name(), config.listenHost(), server.port());
        FerryAgent agent = new FerryAgent(config, vms, inventory, server, migrations);
        agent.transfers = transfers;
        return agent;
    }

    public int port() { return server.port(); }

    public VmManager vms() { return vms; }

    public HostInventory inventory() { return inventory; }

    public AgentConfig config() { return config; }

    @Override
    public void close() {
        try {
            server.close();
            if (transfers != null) transfers.close();
            migrations.close();
        } finally {
            vms.detachAll(); // guests keep running; a restarted agent re-attaches to them
        }
    }
}
