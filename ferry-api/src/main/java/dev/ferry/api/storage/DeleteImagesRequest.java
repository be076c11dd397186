package dev.ferry.api.storage;

import java.util.List;

/**
 * Deletes image files of this host. Each must lie inside a storage pool and be neither a disk of a
 * VM defined on the host nor the backing file of one; otherwise nothing is deleted.
 */
public record DeleteImagesRequest(List<String> paths) {
    public DeleteImagesRequest {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }
}
