package dev.ferry.api.safety;

/**
 * One line of a migration's post-migration checklist: what was checked, whether it held, and what
 * was seen (numbers and names a person can check).
 */
public record Check(String check, boolean ok, String detail) {
    public static Check pass(String check, String detail) { return new Check(check, true, detail); }

    public static Check fail(String check, String detail) { return new Check(check, false, detail); }
}
