package dev.ferry.imports;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.Firmware;
import java.util.Locale;
import java.util.Map;

/**
 * What the operator tells an import besides the source path. All fields are optional.
 *
 * @param name            the new VM's name (default: the source's name, made valid)
 * @param networkMap      source network name to host network name; key {@code *} maps every network not named
 * @param format          qcow2 (default) or raw for the converted disks
 * @param virtio          yes, no or auto (default: decided from the guest OS type)
 * @param cpus            vCPUs: required for bare disks, overrides the source otherwise
 * @param memoryMiB       memory: required for bare disks, overrides the source otherwise
 * @param firmware        bios or uefi, for bare disks (or to override)
 * @param generation      Hyper-V generation for bare VHD/VHDX disks: 1 = BIOS, 2 = UEFI
 * @param osType          guest OS type for bare disks (e.g. {@code linux}, {@code windows}); decides virtio under auto
 * @param boot            boot this instead of the first disk (direct kernel boot of an appliance, or tests)
 * @param allowNoManifest import an OVF/OVA that has no manifest (its files are then not verified)
 * @param maxVirtualBytes largest virtual disk size accepted (default {@link dev.ferry.imports.disk.ImageInspector#DEFAULT_MAX_VIRTUAL_BYTES})
 */
public record ImportOptions(String name, Map<String, String> networkMap, DiskFormat format, Virtio virtio, Integer cpus,
                            Integer memoryMiB, Firmware firmware, Integer generation, String osType, BootSpec boot,
                            Boolean allowNoManifest, Long maxVirtualBytes) {

    public ImportOptions {
        networkMap = networkMap == null ? Map.of() : Map.copyOf(networkMap);
        if (generation != null && generation != 1 && generation != 2) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "generation must be 1 or 2 (got " + generation + ")");
        }
    }

    public static ImportOptions defaults() {
        return new ImportOptions(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public DiskFormat formatOrDefault() { return format == null ? DiskFormat.QCOW2 : format; }

    public Virtio virtioOrAuto() { return virtio == null ? Virtio.AUTO : virtio; }

    public boolean noManifestAllowed() { return Boolean.TRUE.equals(allowNoManifest); }

    public ImportOptions withName(String n) {
        return new ImportOptions(n, networkMap, format, virtio, cpus, memoryMiB, firmware, generation, osType, boot, allowNoManifest, maxVirtualBytes);
    }

    public ImportOptions withBoot(BootSpec b) {
        return new ImportOptions(name, networkMap, format, virtio, cpus, memoryMiB, firmware, generation, osType, b, allowNoManifest, maxVirtualBytes);
    }

    /** Whether the guest gets paravirtual devices. */
    public enum Virtio {
        YES, NO, AUTO;

        @JsonValue
        public String json() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static Virtio parse(String s) {
            for (Virtio v : values()) if (v.json().equalsIgnoreCase(s == null ? "" : s.trim())) return v;
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "virtio must be yes, no or auto (got '" + s + "')");
        }
    }
}
