package dev.ferry.api.error;

/**
 * The one catalogue of errors that Ferry reports, shared by the agent API, the controller API and
 * the CLI. Each code carries the HTTP status an API answers with, the exit code the CLI ends with,
 * and whether retrying the same request may succeed. Modelled on Kafka's {@code Errors}: callers
 * switch on the code, never on message text.
 */
public enum ErrorCode {
    INVALID_ARGUMENT(400, ExitCodes.USAGE, false, "The request is invalid"),
    INVALID_SPEC(400, ExitCodes.USAGE, false, "The VM specification is invalid"),
    UNKNOWN_FORMAT(400, ExitCodes.USAGE, false, "The disk format is not supported"),
    IMAGE_NOT_FOUND(400, ExitCodes.USAGE, false, "A disk image or boot file does not exist"),
    UNSAFE_IMAGE(400, ExitCodes.USAGE, false, "The image refers to files outside its storage pool"),
    INVALID_SOURCE(400, ExitCodes.USAGE, false, "The import source is malformed, unsafe or unsupported"),
    UNAUTHENTICATED(401, ExitCodes.FAILED, false, "The client presented no valid certificate"),
    VM_NOT_FOUND(404, ExitCodes.NOT_FOUND, false, "No such VM"),
    HOST_NOT_FOUND(404, ExitCodes.NOT_FOUND, false, "No such host"),
    MIGRATION_NOT_FOUND(404, ExitCodes.NOT_FOUND, false, "No such migration"),
    NOT_FOUND(404, ExitCodes.NOT_FOUND, false, "Not found"),
    VM_EXISTS(409, ExitCodes.CONFLICT, false, "A VM with that name already exists"),
    VM_RUNNING(409, ExitCodes.CONFLICT, false, "The VM is running"),
    VM_NOT_RUNNING(409, ExitCodes.CONFLICT, false, "The VM is not running"),
    VM_BUSY(409, ExitCodes.CONFLICT, true, "Another operation on this VM is in progress"),
    INVALID_STATE(409, ExitCodes.CONFLICT, false, "The operation is not allowed in the current state"),
    QEMU_UNSUPPORTED(409, ExitCodes.FAILED, false, "This QEMU version cannot do that safely"),
    QEMU_FAILED(500, ExitCodes.FAILED, false, "QEMU failed"),
    QMP_ERROR(500, ExitCodes.FAILED, false, "QEMU rejected a command"),
    QMP_TIMEOUT(504, ExitCodes.FAILED, true, "QEMU did not answer in time"),
    QMP_DISCONNECTED(502, ExitCodes.FAILED, true, "The connection to QEMU was lost"),
    AGENT_UNREACHABLE(502, ExitCodes.UNAVAILABLE, true, "The agent cannot be reached"),
    SERVER_UNREACHABLE(502, ExitCodes.UNAVAILABLE, true, "The server cannot be reached"),
    MIGRATION_FAILED(500, ExitCodes.FAILED, true, "The migration failed"),
    MIGRATION_ABORTED(409, ExitCodes.FAILED, false, "The migration was aborted"),
    MIGRATION_REFUSED(409, ExitCodes.CONFLICT, false, "No allowed migration strategy can meet the requested limits"),
    HOST_IN_MAINTENANCE(409, ExitCodes.CONFLICT, false, "The host is in maintenance mode and takes no new VMs or migrations"),
    ASSESSMENT_BLOCKED(409, ExitCodes.CONFLICT, false, "The compatibility assessment found blockers"),
    PLAN_NOT_FOUND(404, ExitCodes.NOT_FOUND, false, "No such plan"),
    INVALID_PLAN(400, ExitCodes.USAGE, false, "The plan document is invalid"),
    BACKUP_NOT_FOUND(404, ExitCodes.NOT_FOUND, false, "No such backup"),
    VERIFICATION_FAILED(500, ExitCodes.FAILED, false, "A post-migration check failed"),
    AGENT_RESTARTED(500, ExitCodes.FAILED, true, "The agent restarted while the operation ran; it did not finish"),
    IO_ERROR(500, ExitCodes.FAILED, true, "An I/O error occurred"),
    INTERNAL(500, ExitCodes.FAILED, false, "Internal error");

    private final int httpStatus;
    private final int exitCode;
    private final boolean retriable;
    private final String defaultMessage;

    ErrorCode(int httpStatus, int exitCode, boolean retriable, String defaultMessage) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
        this.retriable = retriable;
        this.defaultMessage = defaultMessage;
    }

    public int httpStatus() { return httpStatus; }
    public int exitCode() { return exitCode; }
    public boolean retriable() { return retriable; }
    public String defaultMessage() { return defaultMessage; }

    /** Looks a code up by name; unknown names (from a newer peer) map to {@link #INTERNAL}. */
    public static ErrorCode fromName(String name) {
        if (name == null) return INTERNAL;
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            return INTERNAL;
        }
    }
}
