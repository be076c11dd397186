package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostStoreTest extends StoreContract {

    static HostRecord host(String name, Instant registered) {
        return new HostRecord(name, "https://" + name + ":7443", name + ":49152", "sha256:" + name, "kvm",
                "8.2.2", "{\"cpus\":8}", registered, null, "ONLINE");
    }

    @Test
    void upsertThenFindReturnsTheSameRecord() {
        HostRecord h = host("alpha", T0);
        db.hosts().upsert(h);
        assertThat(db.hosts().find("alpha")).contains(h);
        assertThat(db.hosts().find("beta")).isEmpty();
    }

    @Test
    void upsertReplacesEveryField() {
        db.hosts().upsert(host("alpha", T0));
        HostRecord changed = new HostRecord("alpha", "https://new:1", null, null, "tcg", null, null,
                T0.plusSeconds(60), T0.plusSeconds(61), "OFFLINE");
        db.hosts().upsert(changed);
        assertThat(db.hosts().find("alpha")).contains(changed);
        assertThat(db.hosts().all()).hasSize(1);
    }

    @Test
    void allIsOrderedByName() {
        for (String n : List.of("gamma", "alpha", "beta")) db.hosts().upsert(host(n, T0));
        assertThat(db.hosts().all()).extracting(HostRecord::name).containsExactly("alpha", "beta", "gamma");
    }

    @Test
    void deleteReportsWhetherAHostWasThere() {
        db.hosts().upsert(host("alpha", T0));
        assertThat(db.hosts().delete("alpha")).isTrue();
        assertThat(db.hosts().delete("alpha")).isFalse();
        assertThat(db.hosts().find("alpha")).isEmpty();
    }

    @Test
    void touchRecordsHeartbeatAndKeepsFieldsGivenAsNull() {
        db.hosts().upsert(host("alpha", T0));
        Instant seen = T0.plusSeconds(30);
        db.hosts().touch("alpha", seen, "DEGRADED", "{\"cpus\":4}");
        HostRecord h = db.hosts().find("alpha").orElseThrow();
        assertThat(h.lastSeenAt()).isEqualTo(seen);
        assertThat(h.status()).isEqualTo("DEGRADED");
        assertThat(h.infoJson()).isEqualTo("{\"cpus\":4}");

        db.hosts().touch("alpha", seen.plusSeconds(30), null, null);
        h = db.hosts().find("alpha").orElseThrow();
        assertThat(h.lastSeenAt()).isEqualTo(seen.plusSeconds(30));
        assertThat(h.status()).isEqualTo("DEGRADED");
        assertThat(h.infoJson()).isEqualTo("{\"cpus\":4}");
        assertThat(h.registeredAt()).isEqualTo(T0);
    }

    @Test
    void touchOfUnknownHostIsHostNotFound() {
        assertFerry(ErrorCode.HOST_NOT_FOUND, () -> db.hosts().touch("ghost", T0, "ONLINE", null));
    }

    @Test
    void missingRequiredFieldsAreInvalidArgument() {
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.hosts().upsert(
                new HostRecord("alpha", null, null, null, null, null, null, T0, null, "ONLINE")));
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.hosts().upsert(
                new HostRecord("alpha", "https://a", null, null, null, null, null, null, null, "ONLINE")));
        assertThat(db.hosts().all()).isEmpty();
    }

    @Test
    void instantsRoundTripToTheMillisecond() {
        List<Instant> samples = List.of(Instant.EPOCH, Instant.parse("1969-07-20T20:17:40.123Z"),
                Instant.parse("2999-12-31T23:59:59.999Z"), Instant.ofEpochMilli(1), Instant.ofEpochMilli(-1));
        int i = 0;
        for (Instant t : samples) {
            String name = "h" + i++;
            db.hosts().upsert(new HostRecord(name, "https://x", null, null, null, null, null, t, t, "ONLINE"));
            HostRecord back = db.hosts().find(name).orElseThrow();
            assertThat(back.registeredAt()).isEqualTo(t);
            assertThat(back.lastSeenAt()).isEqualTo(t);
        }
        // Sub-millisecond digits are dropped, identically on every database.
        Instant precise = Instant.parse("2030-05-06T07:08:09.123456789Z");
        db.hosts().upsert(new HostRecord("p", "https://x", null, null, null, null, null, precise, null, "ONLINE"));
        HostRecord back = db.hosts().find("p").orElseThrow();
        assertThat(back.registeredAt()).isEqualTo(Instant.parse("2030-05-06T07:08:09.123Z"));
        assertThat(back.lastSeenAt()).isNull();
    }
}
