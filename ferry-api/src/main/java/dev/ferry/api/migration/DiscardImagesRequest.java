package dev.ferry.api.migration;

import java.util.List;

/**
 * Asks a host to delete disk images that a failed or cancelled cold migration left there: only
 * files inside pools of that host that are not shared, and only while no VM defined there uses them.
 */
public record DiscardImagesRequest(String migrationId, List<String> paths) {
    public DiscardImagesRequest {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    /** The images that were deleted (those already gone are not listed). */
    public record Result(List<String> deleted) {
        public Result {
            deleted = deleted == null ? List.of() : List.copyOf(deleted);
        }
    }
}
