package dev.ferry.imports.export;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.imports.JobProgress;
import dev.ferry.imports.disk.DiskConverter;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.QemuImg;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Exports a stopped Ferry VM so it can move back: to an OVA (OVF envelope, one streamOptimized VMDK
 * per disk, and a SHA-256 manifest, packed as ustar) or to VHDX disks for Hyper-V. Each disk is
 * converted with qemu-img and compared with its source before it is packed. The output is written
 * under a temporary name and renamed at the end, so a failed export leaves nothing behind.
 */
public final class Exporter {
    private final QemuImg qemuImg;
    private final DiskConverter converter;

    public Exporter(QemuImg qemuImg) {
        this.qemuImg = qemuImg;
        this.converter = new DiskConverter(qemuImg);
    }

    /** Writes {@code out} (a new {@code .ova} file). */
    public ExportResult toOva(VmSpec vm, Path out, JobProgress progress) {
        requireNew(out);
        Path staging = out.resolveSibling("." + out.getFileName() + ".ferry-" + UUID.randomUUID().toString().substring(0, 8));
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        List<String> notes = new ArrayList<>();
        try {
            Files.createDirectory(staging);
            List<OvfWriter.Disk> disks = new ArrayList<>();
            List<Path> converted = convertAll(vm, staging, ImageFormat.VMDK, "subformat=streamOptimized", ".vmdk", progress);
            for (int i = 0; i < converted.size(); i++) {
                DiskSpec d = vm.disks().get(i);
                long capacity = qemuImg.info(Path.of(d.path()), d.format()).path("virtual-size").asLong();
                disks.add(new OvfWriter.Disk(d, converted.get(i).getFileName().toString(), Files.size(converted.get(i)), capacity));
            }
            String ovfName = vm.name() + ".ovf";
            Path ovf = Files.writeString(staging.resolve(ovfName), OvfWriter.write(vm, disks, notes), StandardCharsets.UTF_8);
            StringBuilder mf = new StringBuilder();
            mf.append("SHA256(").append(ovfName).append(")= ").append(sha256(ovf)).append('\n');
            for (Path p : converted) mf.append("SHA256(").append(p.getFileName()).append(")= ").append(sha256(p)).append('\n');
            Path manifest = Files.writeString(staging.resolve(vm.name() + ".mf"), mf.toString(), StandardCharsets.US_ASCII);
            progress.update("pack", 0, 0);
            try (UstarWriter tar = new UstarWriter(new BufferedOutputStream(Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW), 1 << 16))) {
                tar.add(ovfName, ovf);
                tar.add(manifest.getFileName().toString(), manifest);
                for (Path p : converted) tar.add(p.getFileName().toString(), p);
            }
            Files.move(partial, out);
            return new ExportResult("ova", List.of(out.toString()), notes);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "export of " + vm.name() + " to " + out + " failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
            deleteTree(staging);
        }
    }

    /** Writes one VHDX per disk into the existing folder {@code outDir} ({@code NAME-DISKID.vhdx}). */
    public ExportResult toVhdx(VmSpec vm, Path outDir, JobProgress progress) {
        if (!Files.isDirectory(outDir)) throw new FerryException(ErrorCode.INVALID_ARGUMENT, outDir + " is not a folder");
        for (DiskSpec d : vm.disks()) requireNew(outDir.resolve(vm.name() + "-" + d.id() + ".vhdx"));
        List<Path> files = convertAll(vm, outDir, ImageFormat.VHDX, null, ".vhdx", progress);
        List<String> notes = new ArrayList<>();
        notes.add("create the Hyper-V VM as generation " + (vm.firmware() == Firmware.UEFI ? 2 : 1) + " with " + vm.vcpus() + " vCPUs and "
                + vm.memoryMiB() + " MiB, and attach the disks in this order: " + files.stream().map(p -> p.getFileName().toString()).toList());
        if (!vm.nics().isEmpty()) notes.add("network adapters are not part of a VHDX export; MACs were " + vm.nics().stream().map(n -> n.mac()).toList());
        return new ExportResult("vhdx", files.stream().map(Path::toString).toList(), notes);
    }

    private List<Path> convertAll(VmSpec vm, Path dir, ImageFormat to, String opts, String ext, JobProgress progress) {
        List<Path> done = new ArrayList<>();
        boolean ok = false;
        try {
            long total = 0;
            long[] expected = new long[vm.disks().size()];
            for (int i = 0; i < expected.length; i++) {
                DiskSpec d = vm.disks().get(i);
                total += expected[i] = converter.expectedBytes(Path.of(d.path()), ImageFormat.of(d.format()));
            }
            long before = 0;
            for (int i = 0; i < expected.length; i++) {
                DiskSpec d = vm.disks().get(i);
                Path target = dir.resolve(vm.name() + "-" + d.id() + ext);
                long base = before;
                long all = total;
                String phase = "convert " + d.id() + " (" + (i + 1) + "/" + expected.length + ")";
                done.add(target);
                converter.convert(Path.of(d.path()), ImageFormat.of(d.format()), target, to, opts,
                        (w, t) -> progress.update(phase, base + Math.min(w, t), all));
                before += expected[i];
            }
            ok = true;
            return done;
        } finally {
            if (!ok) done.forEach(Exporter::deleteQuietly);
        }
    }

    private static void requireNew(Path p) {
        if (Files.exists(p)) throw new FerryException(ErrorCode.INVALID_STATE, p + " already exists; Ferry does not overwrite it");
        if (p.getParent() == null || !Files.isDirectory(p.getParent())) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "folder of " + p + " does not exist");
    }

    private static String sha256(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(Exporter::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
