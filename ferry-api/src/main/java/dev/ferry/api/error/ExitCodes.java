package dev.ferry.api.error;

/**
 * Exit codes of the {@code ferry} CLI. Scripts depend on them, so they never change meaning:
 * 0 success, 1 failed, 2 usage or invalid input, 3 not found, 4 conflict with the current state,
 * 5 the agent or server cannot be reached.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int CONFLICT = 4;
    public static final int UNAVAILABLE = 5;

    private ExitCodes() {}
}
