package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.imports.model.ImportNote;
import dev.ferry.imports.model.ImportedDisk;
import dev.ferry.imports.model.ImportedVm;
import dev.ferry.imports.model.SourceKind;
import dev.ferry.imports.safety.ImportFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OVF package rules shared by an unpacked OVF folder and an OVA: the manifest is verified
 * before the envelope is even parsed (for an OVA over every file in the archive, for a folder over
 * every file the manifest lists, which must include the {@code .ovf}), and afterwards every disk
 * the envelope uses must be one of the verified files. A package without a manifest is refused
 * unless the caller allows it explicitly; a signature certificate is noted but not checked.
 */
public final class OvfPackage {
    private OvfPackage() {}

    /** Reads an unpacked OVF: {@code ovf} and its manifest {@code NAME.mf} beside it. */
    public static ImportedVm readFolder(Path ovf, boolean allowNoManifest) {
        ImportFolder folder = new ImportFolder(ovf.getParent());
        String ovfName = ovf.getFileName().toString();
        Path mf = ovf.resolveSibling(ovfName.replaceFirst("\\.ovf$", "") + ".mf");
        Map<String, Path> verified = new LinkedHashMap<>();
        List<ImportNote> notes = new ArrayList<>();
        if (Files.isRegularFile(mf)) {
            Manifest m = Manifest.read(mf);
            if (!m.entries().containsKey(ovfName)) throw new FerryException(ErrorCode.UNSAFE_IMAGE, mf.getFileName() + " does not list " + ovfName);
            for (String name : m.entries().keySet()) verified.put(name, folder.file(name, mf.getFileName().toString()));
            m.verify(verified);
        } else {
            noManifest(ovfName, allowNoManifest, notes);
        }
        return checked(OvfReader.read(ovf, folder, SourceKind.OVF), verified, mf.getFileName().toString(), notes, !Files.isRegularFile(mf));
    }

    /** Reads an unpacked OVA whose files are {@code files} in {@code staging}. */
    public static ImportedVm readOva(Map<String, Path> files, Path staging, boolean allowNoManifest) {
        List<String> ovfs = files.keySet().stream().filter(n -> n.endsWith(".ovf")).toList();
        if (ovfs.size() != 1) throw new FerryException(ErrorCode.INVALID_SOURCE, "an OVA must hold exactly one .ovf file (found " + ovfs + ")");
        String ovfName = ovfs.get(0);
        List<ImportNote> notes = new ArrayList<>();
        Map<String, Path> content = new LinkedHashMap<>(files);
        String mfName = ovfName.replaceFirst("\\.ovf$", ".mf");
        Path mf = content.remove(mfName);
        content.keySet().removeIf(n -> n.endsWith(".cert") && notes.add(ImportNote.warning(n, "signature certificate present but not verified")));
        if (mf == null) noManifest(ovfName, allowNoManifest, notes);
        else Manifest.read(mf).verify(content);
        ImportedVm vm = OvfReader.read(content.get(ovfName), new ImportFolder(staging), SourceKind.OVA);
        return checked(vm, content, mfName, notes, mf == null);
    }

    private static void noManifest(String ovfName, boolean allow, List<ImportNote> notes) {
        if (!allow) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, ovfName + " comes without a manifest (.mf); refusing to use unverified files"
                    + " (allow it explicitly to import anyway)");
        }
        notes.add(ImportNote.warning("manifest", "no manifest: file digests were not verified"));
    }

    private static ImportedVm checked(ImportedVm vm, Map<String, Path> verified, String mf, List<ImportNote> notes, boolean unverified) {
        if (!unverified) {
            for (ImportedDisk d : vm.disks()) {
                boolean ok = verified.values().stream().anyMatch(p -> p.toAbsolutePath().normalize().equals(d.file().toAbsolutePath().normalize()));
                if (!ok) throw new FerryException(ErrorCode.UNSAFE_IMAGE, "disk file " + d.file().getFileName() + " is not listed in " + mf);
            }
        }
        List<ImportNote> all = new ArrayList<>(notes);
        all.addAll(vm.notes());
        return new ImportedVm(vm.kind(), vm.name(), vm.cpus(), vm.coresPerSocket(), vm.memoryMiB(), vm.firmware(), vm.secureBoot(),
                vm.osType(), vm.disks(), vm.nics(), all);
    }
}
