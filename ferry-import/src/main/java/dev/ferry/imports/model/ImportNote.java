package dev.ferry.imports.model;

/**
 * One line of the import report: a setting of the source that was changed, approximated or not
 * mapped at all. Readers add a note for every setting they do not carry over, so nothing is
 * silently dropped; the mapper adds notes for every device model it had to change.
 *
 * @param level   {@code info} (carried over with a change), {@code warning} (not mapped, may matter)
 * @param setting the source's name for the setting, e.g. {@code sound.present} or {@code ResourceType 23}
 */
public record ImportNote(String level, String setting, String message) {
    public static ImportNote info(String setting, String message) { return new ImportNote("info", setting, message); }

    public static ImportNote warning(String setting, String message) { return new ImportNote("warning", setting, message); }
}
