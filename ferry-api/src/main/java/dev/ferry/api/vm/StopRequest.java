package dev.ferry.api.vm;

/**
 * Asks an agent to shut a VM down: ACPI power button first, then a forced kill once
 * {@code timeoutSeconds} pass (default 60). {@code force} skips the ACPI attempt.
 */
public record StopRequest(Integer timeoutSeconds, Boolean force) {
    public int timeoutOrDefault() { return timeoutSeconds == null ? 60 : timeoutSeconds; }

    public boolean forced() { return Boolean.TRUE.equals(force); }
}
