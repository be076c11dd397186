package dev.ferry.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Objects;

/**
 * One asynchronous QMP event (STOP, RESUME, MIGRATION, BLOCK_JOB_READY, SHUTDOWN, ...). The client
 * does not interpret events; it hands every one to listeners as this value. {@code data} is never
 * null (an empty object when QEMU sent none) and {@code timestamp} is QEMU's own clock, or the time
 * of receipt when QEMU could not read its clock.
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {

    public QmpEvent {
        Objects.requireNonNull(name, "name");
        data = data == null || data.isNull() || data.isMissingNode() ? JsonNodeFactory.instance.objectNode() : data;
        timestamp = timestamp == null ? Instant.now() : timestamp;
    }

    /** True if this event has the given name, e.g. {@code e.is("STOP")}. */
    public boolean is(String eventName) {
        return name.equals(eventName);
    }

    /** Builds an event from a raw QMP message that has an {@code "event"} member. */
    static QmpEvent fromMessage(JsonNode message) {
        JsonNode ts = message.path("timestamp");
        Instant timestamp = null;
        long seconds = ts.path("seconds").asLong(-1);
        long micros = ts.path("microseconds").asLong(-1);
        if (seconds >= 0 && micros >= 0) {
            timestamp = Instant.ofEpochSecond(seconds, micros * 1_000L);
        }
        return new QmpEvent(message.path("event").asText(), message.get("data"), timestamp);
    }
}
