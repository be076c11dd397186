package dev.ferry.api.vm;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The state of a VM on one host as the agent sees it. {@code INCOMING} is a destination QEMU waiting
 * for a migration stream; {@code MIGRATED} is a source whose guest has moved away (QEMU's
 * postmigrate) and that must not be resumed.
 */
public enum VmState {
    SHUTOFF, RUNNING, PAUSED, INCOMING, MIGRATED, CRASHED;

    @JsonValue
    public String json() { return name().toLowerCase(Locale.ROOT); }

    public boolean hasProcess() { return this != SHUTOFF; }

    /** Maps QEMU's {@code query-status} status to a VM state. */
    public static VmState fromQemu(String status) {
        return switch (status) {
            case "running", "finish-migrate", "save-vm", "restore-vm", "colo" -> RUNNING;
            case "inmigrate" -> INCOMING;
            case "postmigrate" -> MIGRATED;
            case "internal-error", "io-error", "guest-panicked" -> CRASHED;
            case "shutdown" -> SHUTOFF;
            default -> PAUSED; // paused, suspended, debug, prelaunch, watchdog
        };
    }
}
