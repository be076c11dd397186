package dev.ferry.api.safety;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Brings a migrated VM back to its source. By default by migrating it back (a new job in the
 * reverse direction, same mode; nothing is lost). With {@code toBackup} from the backup taken
 * before the migration: every change since the backup's time is lost, so {@code confirm} must say
 * the caller accepts that.
 */
public record RollbackRequest(Boolean toBackup, Boolean confirm) {
    @JsonIgnore
    public boolean isToBackup() { return Boolean.TRUE.equals(toBackup); }

    @JsonIgnore
    public boolean isConfirmed() { return Boolean.TRUE.equals(confirm); }
}
