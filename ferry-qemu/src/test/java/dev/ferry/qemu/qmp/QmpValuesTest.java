package dev.ferry.qemu.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The small value types: version ordering, event parsing, options validation, duration wording. */
class QmpValuesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void versionsCompareNumericallyAndReadFromTheGreeting() throws Exception {
        JsonNode qmp = MAPPER.readTree("{\"version\": {\"qemu\": {\"micro\": 2, \"minor\": 10, \"major\": 9}}}");
        QemuVersion v = QemuVersion.fromGreeting(qmp);
        assertThat(v).isEqualTo(new QemuVersion(9, 10, 2));
        assertThat(v).hasToString("9.10.2");
        assertThat(v.isAtLeast(9, 2)).isTrue();
        assertThat(v.isAtLeast(10, 0)).isFalse();
        assertThat(v.isAtLeast(new QemuVersion(9, 10, 3))).isFalse();
        assertThat(new QemuVersion(10, 0, 0)).isGreaterThan(v);
        assertThat(QemuVersion.fromGreeting(MAPPER.createObjectNode())).isEqualTo(new QemuVersion(0, 0, 0));
    }

    @Test
    void eventsCarryQemuTimestampAndAlwaysHaveData() throws Exception {
        QmpEvent e = QmpEvent.fromMessage(MAPPER.readTree(
                "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 250}, \"event\": \"STOP\", \"extra\": 1}"));
        assertThat(e.name()).isEqualTo("STOP");
        assertThat(e.is("STOP")).isTrue();
        assertThat(e.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000, 250_000));
        assertThat(e.data().isObject()).isTrue();
        assertThat(e.data().size()).isZero();

        Instant before = Instant.now();
        QmpEvent noClock = QmpEvent.fromMessage(MAPPER.readTree(
                "{\"timestamp\": {\"seconds\": -1, \"microseconds\": -1}, \"event\": \"X\", \"data\": {\"a\": 1}}"));
        assertThat(noClock.timestamp()).isAfterOrEqualTo(before);
        assertThat(noClock.data().path("a").asInt()).isEqualTo(1);
    }

    @Test
    void optionsHaveSaneDefaultsAndRejectNonsense() {
        assertThat(QmpOptions.defaults()).isEqualTo(new QmpOptions(Duration.ofSeconds(30), 4 * 1024 * 1024));
        assertThat(QmpOptions.defaults().withMaxMessageBytes(2048).maxMessageBytes()).isEqualTo(2048);
        assertThatThrownBy(() -> QmpOptions.defaults().withDefaultCommandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QmpOptions.defaults().withMaxMessageBytes(10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsAreWordedForOneLineMessages() {
        assertThat(Timeouts.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Timeouts.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Timeouts.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Timeouts.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Timeouts.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    }
}
