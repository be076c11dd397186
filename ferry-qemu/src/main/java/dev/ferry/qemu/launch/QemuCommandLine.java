package dev.ferry.qemu.launch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a VM spec into QEMU's argument list. It is a pure function: the same spec and options give
 * the same arguments, in the same order, so a migration destination gets exactly the source's
 * device layout. Disks are always {@code -blockdev} nodes with the spec's declared format (never
 * {@code -drive}, never format probing); every device and node gets a stable id derived from the
 * spec, which QMP commands (mirror, NBD export) later refer to.
 */
public final class QemuCommandLine {
    private final VmSpec spec;
    private final LaunchOptions opts;
    private final List<String> args = new ArrayList<>();

    private QemuCommandLine(VmSpec spec, LaunchOptions opts) {
        this.spec = spec;
        this.opts = opts;
    }

    public static List<String> build(VmSpec spec, LaunchOptions opts) {
        return new QemuCommandLine(spec, opts).assemble();
    }

    /** QEMU node name of a disk's format layer, the node that QMP block commands address. */
    public static String diskNode(DiskSpec d) { return "disk-" + d.id(); }

    /** QEMU node name of a disk's protocol (file) layer. */
    public static String fileNode(DiskSpec d) { return "file-" + d.id(); }

    /** QEMU id of a disk's guest device. */
    public static String deviceId(DiskSpec d) { return "dev-" + d.id(); }

    private List<String> assemble() {
        add(opts.qemuBinary());
        add("-name", "guest=" + spec.name() + ",debug-threads=on");
        if (spec.uuid() != null) add("-uuid", spec.uuid());
        add("-machine", (spec.machine() == null ? "q35" : spec.machine()));
        add("-accel", opts.accelerator().qemuName());
        add("-cpu", spec.cpuModel() == null ? "qemu64" : spec.cpuModel());
        add("-m", spec.memoryMiB() + "M");
        add("-smp", String.valueOf(spec.vcpus()));
        add("-nodefaults", "-no-user-config", "-display", "none");
        add("-msg", "timestamp=on");
        if (spec.firmware() == Firmware.UEFI) firmware();
        control();
        boot(spec.boot());
        disks();
        nics();
        if (opts.incoming()) add("-incoming", "defer");
        return List.copyOf(args);
    }

    private void control() {
        add("-chardev", "socket,id=qmp,path=" + opts.qmpSocket() + ",server=on,wait=off");
        add("-mon", "chardev=qmp,mode=control");
        add("-chardev", "file,id=serial0,path=" + opts.serialLog() + ",append=on");
        add("-serial", "chardev:serial0");
        add("-pidfile", opts.pidFile().toString());
        add("-D", opts.qemuLog().toString());
        add("-daemonize");
    }

    private void firmware() {
        if (opts.firmwareUefi() == null) {
            throw new FerryException(ErrorCode.INVALID_SPEC, "firmware uefi: this host has no UEFI firmware (install ovmf)");
        }
        add("-bios", opts.firmwareUefi());
    }

    private void boot(BootSpec boot) {
        if (boot.isDirectKernel()) {
            add("-kernel", boot.kernel());
            if (boot.initrd() != null) add("-initrd", boot.initrd());
            if (boot.cmdline() != null) add("-append", boot.cmdline());
        }
    }

    private void disks() {
        boolean scsi = spec.disks().stream().anyMatch(d -> d.busOrDefault() == DiskBus.VIRTIO_SCSI);
        boolean needsAhci = !isQ35() && spec.disks().stream().anyMatch(d -> d.busOrDefault() == DiskBus.SATA);
        if (scsi) add("-device", "virtio-scsi-pci,id=scsi0");
        if (needsAhci) add("-device", "ahci,id=ahci0");
        int ahciPort = 0;
        int idePort = 0;
        for (DiskSpec d : spec.disks()) {
            blockdev(d);
            String device = switch (d.busOrDefault()) {
                case VIRTIO_BLK -> "virtio-blk-pci";
                case VIRTIO_SCSI -> "scsi-hd,bus=scsi0.0";
                case SATA -> "ide-hd,bus=" + (isQ35() ? "ide." : "ahci0.") + ahciPort++;
                case IDE -> isQ35() ? "ide-hd,bus=ide." + ahciPort++ : "ide-hd,bus=ide." + (idePort / 2) + ",unit=" + (idePort++ % 2);
            };
            String bootIndex = d.id().equals(spec.boot().disk()) ? ",bootindex=1" : "";
            add("-device", device + ",drive=" + diskNode(d) + ",id=" + deviceId(d)
                    + ",write-cache=" + (d.cacheOrDefault().writeCache() ? "on" : "off") + bootIndex);
        }
    }

    private void blockdev(DiskSpec d) {
        ObjectNode file = Json.mapper().createObjectNode()
                .put("driver", "file")
                .put("filename", d.path())
                .put("node-name", fileNode(d));
        file.putObject("cache").put("direct", d.cacheOrDefault().direct()).put("no-flush", d.cacheOrDefault().noFlush());
        ObjectNode format = Json.mapper().createObjectNode()
                .put("driver", d.format().json())
                .put("file", fileNode(d))
                .put("node-name", diskNode(d));
        format.putObject("cache").put("direct", d.cacheOrDefault().direct()).put("no-flush", d.cacheOrDefault().noFlush());
        add("-blockdev", file.toString());
        add("-blockdev", format.toString());
    }

    private void nics() {
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec n = spec.nics().get(i);
            NetworkDef net = opts.networks().get(n.network());
            if (net == null) {
                throw new FerryException(ErrorCode.INVALID_SPEC, "nics[" + i + "].network '" + n.network()
                        + "' is not defined on this host (defined: " + opts.networks().keySet() + ")");
            }
            String id = "net" + i;
            add("-netdev", switch (net.type()) {
                case "user" -> "user,id=" + id;
                case "bridge" -> "bridge,id=" + id + ",br=" + net.bridge();
                // A hub with this one port only: the NIC is connected to nothing (QEMU warns "hub N is
                // not connected to host network", which is the point).
                case "isolated" -> "hubport,id=" + id + ",hubid=" + i;
                default -> throw new FerryException(ErrorCode.INVALID_SPEC, "network type '" + net.type() + "' is unknown");
            });
            String model = switch (n.model() == null ? dev.ferry.api.spec.NicModel.VIRTIO : n.model()) {
                case VIRTIO -> "virtio-net-pci";
                case E1000 -> "e1000";
                case E1000E -> "e1000e";
            };
            add("-device", model + ",netdev=" + id + ",id=nic" + i + (n.mac() == null ? "" : ",mac=" + n.mac()));
        }
    }

    private boolean isQ35() {
        String m = spec.machine() == null ? "q35" : spec.machine();
        return m.contains("q35");
    }

    private void add(String... parts) { args.addAll(List.of(parts)); }
}
