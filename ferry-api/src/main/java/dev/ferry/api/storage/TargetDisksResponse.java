package dev.ferry.api.storage;

import dev.ferry.api.spec.VmSpec;
import java.util.List;

/** The destination's spec for the VM (target disks in place of the source's) and the image files it created. */
public record TargetDisksResponse(VmSpec spec, List<String> created) {
    public TargetDisksResponse {
        created = created == null ? List.of() : List.copyOf(created);
    }
}
