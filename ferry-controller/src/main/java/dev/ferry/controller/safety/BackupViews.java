package dev.ferry.controller.safety;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.safety.BackupView;
import dev.ferry.controller.store.BackupRecord;
import java.io.IOException;
import java.util.List;

/** Turns a stored backup into the API's view of it. */
final class BackupViews {
    private BackupViews() {}

    static BackupView of(BackupRecord b) {
        try {
            List<BackupView.BackupImage> images = Json.mapper().readValue(b.imagesJson(), new TypeReference<List<BackupView.BackupImage>>() {});
            return new BackupView(b.id(), b.migrationId(), b.vm(), b.host(), b.takenAt(), b.state(), images, b.keepUntil(), b.detail());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "backup " + b.id() + " is unreadable: " + e.getMessage());
        }
    }
}
