package dev.ferry.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.host.QemuCapabilities;
import dev.ferry.api.json.Json;
import dev.ferry.qemu.qmp.QemuVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The capability documents recorded from this machine's QEMU 10.0.2 ({@code -machine none} with
 * {@code -accel tcg} and {@code -accel kvm}: the answers to {@code query-cpu-definitions} and
 * {@code query-machines}, verbatim, in {@code qemu-caps/} next to this class, so the test-jar carries them), parsed the way an agent parses them,
 * so unit tests can build heterogeneous hosts from real answers instead of invented ones.
 */
public final class RecordedQemu {
    private RecordedQemu() {}

    /** {@code accelerator}: "tcg" or "kvm". */
    public static QemuCapabilities capabilities(String accelerator) {
        JsonNode doc = document(accelerator);
        JsonNode v = doc.path("version").path("qemu");
        return QemuCapabilities.fromQmp(new QemuVersion(v.path("major").asInt(), v.path("minor").asInt(), v.path("micro").asInt()),
                doc.path("query-machines"), doc.path("query-cpu-definitions"), accelerator);
    }

    public static JsonNode document(String accelerator) {
        String name = "qemu-caps/qemu-10.0.2-" + accelerator + ".json";
        try (InputStream in = RecordedQemu.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no recorded capability document " + name);
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
