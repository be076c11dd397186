package dev.ferry.api.assess;

/**
 * One result of a compatibility or capacity check: a stable machine-readable {@code code} (scripts
 * and tests switch on it, never on the text; see {@link FindingCode}), its severity, and a sentence
 * that names the VM, the host and the numbers involved.
 */
public record Finding(String code, Severity severity, String message) {
    public static Finding blocker(FindingCode code, String message) { return new Finding(code.name(), Severity.BLOCKER, message); }

    public static Finding warning(FindingCode code, String message) { return new Finding(code.name(), Severity.WARNING, message); }

    public static Finding info(FindingCode code, String message) { return new Finding(code.name(), Severity.INFO, message); }

    public boolean isBlocker() { return severity == Severity.BLOCKER; }
}
