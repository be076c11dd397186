package dev.ferry.qemu.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.spec.SpecReader;
import dev.ferry.api.spec.VmSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private static final VmSpec SPEC = SpecReader.parse("""
            name: web
            uuid: 0b0e2f53-7a0c-4d47-9a34-0c1f7c3b7a10
            vcpus: 2
            memoryMiB: 512
            boot: {kernel: /g/vmlinuz, initrd: /g/initrd.gz, cmdline: console=ttyS0}
            disks:
              - {id: root, path: /pool/root.qcow2, format: qcow2, cache: none}
              - {id: data, path: /pool/data.raw, format: raw, bus: virtio-scsi}
            nics:
              - {model: e1000e, network: lan, mac: "52:54:00:00:00:01"}
            """, "spec");
    private static final LaunchOptions OPTS = new LaunchOptions("qemu-system-x86_64", Accelerator.TCG,
            Path.of("/run/ferry/web"), Path.of("/var/log/ferry/web.serial"), Map.of("lan", NetworkDef.user("lan")), false, null);

    @Test
    void sameSpecGivesTheSameArguments() {
        assertThat(QemuCommandLine.build(SPEC, OPTS)).isEqualTo(QemuCommandLine.build(SPEC, OPTS));
    }

    @Test
    void disksAreBlockdevNodesWithTheirDeclaredFormat() {
        List<String> args = QemuCommandLine.build(SPEC, OPTS);
        assertThat(args).doesNotContain("-drive");
        assertThat(args).contains(
                "{\"driver\":\"file\",\"filename\":\"/pool/root.qcow2\",\"node-name\":\"file-root\",\"cache\":{\"direct\":true,\"no-flush\":false}}",
                "{\"driver\":\"qcow2\",\"file\":\"file-root\",\"node-name\":\"disk-root\",\"cache\":{\"direct\":true,\"no-flush\":false}}",
                "{\"driver\":\"raw\",\"file\":\"file-data\",\"node-name\":\"disk-data\",\"cache\":{\"direct\":false,\"no-flush\":false}}",
                "virtio-blk-pci,drive=disk-root,id=dev-root,write-cache=on",
                "virtio-scsi-pci,id=scsi0",
                "scsi-hd,bus=scsi0.0,drive=disk-data,id=dev-data,write-cache=on");
    }

    @Test
    void controlFilesAndNetworks() {
        List<String> args = QemuCommandLine.build(SPEC, OPTS);
        assertThat(args).containsSequence("-chardev", "socket,id=qmp,path=/run/ferry/web/qmp.sock,server=on,wait=off");
        assertThat(args).containsSequence("-pidfile", "/run/ferry/web/qemu.pid");
        assertThat(args).contains("-nodefaults", "-daemonize", "user,id=net0", "e1000e,netdev=net0,id=nic0,mac=52:54:00:00:00:01");
        assertThat(args).doesNotContain("-incoming");
        assertThat(QemuCommandLine.build(SPEC, OPTS.asIncoming())).containsSequence("-incoming", "defer");
    }

    @Test
    void unknownNetworkIsRefusedByName() {
        LaunchOptions noNets = new LaunchOptions("q", Accelerator.TCG, Path.of("/r"), Path.of("/s"), Map.of(), false, null);
        assertThatThrownBy(() -> QemuCommandLine.build(SPEC, noNets))
                .isInstanceOf(FerryException.class)
                .hasMessage("nics[0].network 'lan' is not defined on this host (defined: [])");
    }
}
