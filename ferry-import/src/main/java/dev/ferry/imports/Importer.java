package dev.ferry.imports;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.imports.disk.DiskConverter;
import dev.ferry.imports.disk.ImageInspector;
import dev.ferry.imports.map.HardwareMapper;
import dev.ferry.imports.model.ImportedDisk;
import dev.ferry.imports.model.ImportedVm;
import dev.ferry.imports.safety.ImportFolder;
import dev.ferry.imports.source.DiskOnlyReader;
import dev.ferry.imports.source.HyperVReader;
import dev.ferry.imports.source.OvaArchive;
import dev.ferry.imports.source.OvfPackage;
import dev.ferry.imports.source.SourceDetector;
import dev.ferry.imports.source.VboxReader;
import dev.ferry.imports.source.VmxReader;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs one import from a source path to converted disks in a target folder (a storage pool) and
 * the {@link VmSpec} that uses them: detect the kind, unpack (OVA) into a private staging folder,
 * read the description, map the hardware, inspect every source image, check the pool has room,
 * convert and compare each disk. Whatever fails, nothing is left behind: the staging folder and
 * every disk this import wrote are deleted. Defining the VM is the caller's (the agent's) step.
 */
public final class Importer {
    private final QemuImg qemuImg;

    public Importer(QemuImg qemuImg) { this.qemuImg = qemuImg; }

    /** Everything but the conversion: what would be imported, with its report. Leaves nothing behind. */
    public ImportResult plan(Path source, ImportOptions o, Path targetDir) {
        return run(source, o, targetDir, JobProgress.NONE, true, r -> { });
    }

    public ImportResult run(Path source, ImportOptions o, Path targetDir, JobProgress progress) {
        return run(source, o, targetDir, progress, false, r -> { });
    }

    /** As {@link #run(Path, ImportOptions, Path, JobProgress)}; {@code beforeConvert} may refuse the plan (e.g. the name is taken). */
    public ImportResult run(Path source, ImportOptions o, Path targetDir, JobProgress progress, Consumer<ImportResult> beforeConvert) {
        return run(source, o, targetDir, progress, false, beforeConvert);
    }

    private ImportResult run(Path source, ImportOptions o, Path targetDir, JobProgress progress, boolean dryRun,
                             Consumer<ImportResult> beforeConvert) {
        progress.update("inspect", 0, 0);
        SourceDetector.Source src = SourceDetector.detect(source);
        Path staging = null;
        List<Path> written = new ArrayList<>();
        boolean ok = false;
        try {
            ImportFolder folder;
            ImportedVm vm;
            if (src.kind() == dev.ferry.imports.model.SourceKind.OVA) {
                staging = Files.createDirectory(targetDir.resolve(".ferry-import-" + UUID.randomUUID().toString().substring(0, 8)));
                progress.update("unpack", 0, 0);
                vm = OvfPackage.readOva(OvaArchive.extract(src.file(), staging), staging, o.noManifestAllowed());
                folder = new ImportFolder(staging);
            } else {
                folder = new ImportFolder(folderOf(src));
                vm = read(src, folder, o);
            }
            if (vm.disks().isEmpty()) throw new FerryException(ErrorCode.INVALID_SOURCE, "the source VM has no hard disk to import");
            String ext = o.formatOrDefault() == DiskFormat.QCOW2 ? ".qcow2" : ".img";
            String name = HardwareMapper.vmName(vm, o);
            HardwareMapper.Result mapped = HardwareMapper.map(vm, o, i -> targetDir.resolve(name + "-disk" + i + ext).toAbsolutePath());
            List<ImageInspector.Inspection> inspections = inspect(vm, mapped.spec(), folder, o);
            ImportReport report = report(src, vm, mapped, inspections);
            if (dryRun) {
                ok = true;
                return new ImportResult(mapped.spec(), report);
            }
            beforeConvert.accept(new ImportResult(mapped.spec(), report));
            ImportResult r = convert(vm, mapped.spec(), report, progress, written);
            ok = true;
            return r;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "import of " + source + " failed: " + e.getMessage(), e);
        } finally {
            if (!ok) written.forEach(Importer::deleteQuietly);
            if (staging != null) deleteTree(staging);
        }
    }

    private static Path folderOf(SourceDetector.Source src) {
        return src.kind() == dev.ferry.imports.model.SourceKind.HYPERV ? HyperVReader.exportRoot(src.file()) : src.file().getParent();
    }

    private static ImportedVm read(SourceDetector.Source src, ImportFolder folder, ImportOptions o) {
        return switch (src.kind()) {
            case VMX -> VmxReader.read(src.file(), folder);
            case OVF -> OvfPackage.readFolder(src.file(), o.noManifestAllowed());
            case VBOX -> VboxReader.read(src.file(), folder);
            case HYPERV -> HyperVReader.read(src.file(), folder);
            case DISK -> DiskOnlyReader.read(src.file(), folder, o);
            case OVA -> throw new IllegalStateException("OVA is unpacked first");
        };
    }

    private List<ImageInspector.Inspection> inspect(ImportedVm vm, VmSpec spec, ImportFolder folder, ImportOptions o) throws IOException {
        ImageInspector inspector = new ImageInspector(qemuImg);
        List<ImageInspector.Inspection> out = new ArrayList<>();
        long need = 0;
        for (int i = 0; i < vm.disks().size(); i++) {
            ImportedDisk d = vm.disks().get(i);
            Path target = Path.of(spec.disks().get(i).path());
            if (Files.exists(target)) {
                throw new FerryException(ErrorCode.VM_EXISTS, target + " already exists; choose another name (--name) or remove it");
            }
            ImageInspector.Inspection ins = inspector.inspect(d.file(), d.format(), folder, o.maxVirtualBytes());
            out.add(ins);
            need += new DiskConverter(qemuImg).expectedBytes(d.file(), d.format());
        }
        Path dir = Path.of(spec.disks().get(0).path()).getParent();
        long free = Files.getFileStore(dir).getUsableSpace();
        if (need > free) throw new FerryException(ErrorCode.IO_ERROR, "the converted disks need about " + need + " bytes; " + dir + " has " + free);
        return out;
    }

    private static ImportReport report(SourceDetector.Source src, ImportedVm vm, HardwareMapper.Result mapped,
                                       List<ImageInspector.Inspection> inspections) {
        List<ImportReport.DiskResult> disks = new ArrayList<>();
        for (int i = 0; i < vm.disks().size(); i++) {
            DiskSpec t = mapped.spec().disks().get(i);
            ImportedDisk d = vm.disks().get(i);
            disks.add(new ImportReport.DiskResult(t.id(), d.file().getFileName().toString(), d.format().driver(), inspections.get(i).virtualBytes(),
                    t.path(), t.format().json(), null, null, null));
        }
        return new ImportReport(src.kind().json(), src.file().toString(), vm.name(), mapped.spec().name(), mapped.virtio(), disks, mapped.notes());
    }

    private ImportResult convert(ImportedVm vm, VmSpec spec, ImportReport report, JobProgress progress, List<Path> written) {
        DiskConverter converter = new DiskConverter(qemuImg);
        long[] expected = new long[vm.disks().size()];
        long total = 0;
        for (int i = 0; i < expected.length; i++) total += expected[i] = converter.expectedBytes(vm.disks().get(i).file(), vm.disks().get(i).format());
        List<ImportReport.DiskResult> results = new ArrayList<>();
        long before = 0;
        for (int i = 0; i < vm.disks().size(); i++) {
            ImportedDisk d = vm.disks().get(i);
            DiskSpec t = spec.disks().get(i);
            Path target = Path.of(t.path());
            String phase = "convert " + t.id() + " (" + (i + 1) + "/" + expected.length + ")";
            long base = before;
            long all = total;
            written.add(target);
            DiskConverter.Conversion c = converter.convert(d.file(), d.format(), target, ImageFormat.of(t.format()), null,
                    (done, tot) -> progress.update(phase, base + Math.min(done, tot), all));
            before += expected[i];
            ImportReport.DiskResult r = report.disks().get(i);
            results.add(new ImportReport.DiskResult(r.id(), r.source(), r.sourceFormat(), r.virtualBytes(), r.target(), r.targetFormat(),
                    c.allocatedBytes(), c.millis(), c.identical()));
        }
        progress.update("converted", total, total);
        return new ImportResult(spec, report.withDisks(results));
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(Importer::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
