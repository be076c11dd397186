package dev.ferry.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.host.LinkMeasurement;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The assessment's stores (V2: maintenance, link measurements, pool proofs) on SQLite and PostgreSQL. */
class AssessmentStoresTest extends StoreContract {

    @Test
    void maintenanceIsOnUntilDisabledAndKeepsItsStart() {
        db.maintenance().enable("beta", "disk swap");
        clock.advance(java.time.Duration.ofSeconds(30));
        db.maintenance().enable("beta", "still swapping");
        db.maintenance().enable("alpha", null);
        assertThat(db.maintenance().find("beta")).contains(new MaintenanceStore.Entry("beta", T0.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                "still swapping"));
        assertThat(db.maintenance().all()).extracting(MaintenanceStore.Entry::host).containsExactly("alpha", "beta");
        assertThat(db.maintenance().disable("beta")).isTrue();
        assertThat(db.maintenance().disable("beta")).isFalse();
        assertThat(db.maintenance().find("beta")).isEmpty();
    }

    @Test
    void theNewestMeasurementOfEachPairIsTheLatest() {
        LinkMeasurement old = new LinkMeasurement("a", "b", 100.5, 0.25, 0, Instant.ofEpochMilli(T0.toEpochMilli()));
        LinkMeasurement now = new LinkMeasurement("a", "b", 900.0, 0.125, 5, Instant.ofEpochMilli(T0.toEpochMilli() + 60_000));
        LinkMeasurement back = new LinkMeasurement("b", "a", 800.0, 0.5, 0, Instant.ofEpochMilli(T0.toEpochMilli() + 1000));
        LinkMeasurement other = new LinkMeasurement("c", "d", 1, 1, 1, Instant.ofEpochMilli(T0.toEpochMilli()));
        for (LinkMeasurement m : new LinkMeasurement[] {old, now, back, other}) db.links().add(m);
        assertThat(db.links().latest("a", "b")).contains(now);
        assertThat(db.links().latest("b", "a")).contains(back);
        assertThat(db.links().latest("a", "c")).isEmpty();
        assertThat(db.links().latestOf("a")).containsExactly(now, back);
    }

    @Test
    void aProofIsReplacedByTheNextOfTheSamePair() {
        Instant t = Instant.ofEpochMilli(T0.toEpochMilli());
        db.poolProofs().save(new PoolProofStore.Proof("a", "shared", "b", "shared", true, "read back", t));
        db.poolProofs().save(new PoolProofStore.Proof("a", "shared", "b", "shared", false, "not found", t.plusSeconds(5)));
        db.poolProofs().save(new PoolProofStore.Proof("b", "shared", "a", "shared", true, "read back", t));
        assertThat(db.poolProofs().find("a", "shared", "b", "shared"))
                .contains(new PoolProofStore.Proof("a", "shared", "b", "shared", false, "not found", t.plusSeconds(5)));
        assertThat(db.poolProofs().find("b", "shared", "a", "shared")).get().extracting(PoolProofStore.Proof::shared).isEqualTo(true);
        assertThat(db.poolProofs().find("a", "other", "b", "shared")).isEmpty();
    }
}
