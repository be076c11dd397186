package dev.ferry.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The QEMU version a QMP peer announced in its greeting. Ferry gates features on it (for example
 * which migration capabilities exist), so it is comparable and offers {@link #isAtLeast}.
 */
public record QemuVersion(int major, int minor, int micro) implements Comparable<QemuVersion> {

    public QemuVersion {
        if (major < 0 || minor < 0 || micro < 0) {
            throw new IllegalArgumentException("version numbers must not be negative: " + major + "." + minor + "." + micro);
        }
    }

    /** True if this version is {@code major.minor.0} or newer. */
    public boolean isAtLeast(int major, int minor) {
        return compareTo(new QemuVersion(major, minor, 0)) >= 0;
    }

    public boolean isAtLeast(QemuVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(QemuVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) c = Integer.compare(minor, o.minor);
        if (c == 0) c = Integer.compare(micro, o.micro);
        return c;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }

    /** Reads {@code version.qemu} from the "QMP" object of a greeting; missing parts read as 0. */
    static QemuVersion fromGreeting(JsonNode qmp) {
        JsonNode v = qmp.path("version").path("qemu");
        return new QemuVersion(
                Math.max(0, v.path("major").asInt(0)),
                Math.max(0, v.path("minor").asInt(0)),
                Math.max(0, v.path("micro").asInt(0)));
    }
}
