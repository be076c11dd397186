package dev.ferry.cli.lab;

/**
 * A demo step failed in a way the user can act on. The message is the whole story, written as one
 * line for the terminal (what failed, and where to look); the demo prints it instead of a stack
 * trace and tears the lab down. Kept separate from FerryException because these failures are about
 * the local lab (namespaces, child processes, the guest build), not about Ferry's API.
 */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
