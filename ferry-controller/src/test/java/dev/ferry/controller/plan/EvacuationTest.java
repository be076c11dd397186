package dev.ferry.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import dev.ferry.controller.store.Database;
import dev.ferry.controller.store.HostRecord;
import dev.ferry.controller.store.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evacuation with the fake placement and engine: auto destinations within capacity, dry runs, and when maintenance is entered. */
class EvacuationTest {
    @TempDir
    Path dir;

    Database db;
    FakeFleet fleet;
    PlanService service;
    Evacuation evacuation;
    final List<String> maintenance = new ArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(TestDatabases.freshSqlite(dir));
        for (String h : List.of("h1", "h2", "h3")) {
            db.hosts().upsert(new HostRecord(h, "https://" + h, null, null, "tcg", null, null, Instant.now(), null, "ONLINE"));
        }
        fleet = new FakeFleet(db.vms(), List.of("h1", "h2", "h3"));
        MovePredictor predictor = new MovePredictor(PlanInputs.NONE);
        service = new PlanService(db.plans(), new PlanValidator(fleet, db.vms(), predictor), fleet, predictor, Clock.systemUTC(), 3_600_000);
        evacuation = new Evacuation(service, db.hosts(), db.vms(), (host, reason) -> maintenance.add(host), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        service.close();
        db.close();
    }

    @Test
    void everyVmGoesWhereTheLedgerLeavesRoomAndADryRunTouchesNothing() {
        for (int i = 0; i < 3; i++) fleet.addVm("v" + i, "h1", 400);
        fleet.addVm("resident", "h2", 300);
        PlanView dry = evacuation.evacuate("h1", true, null);
        assertThat(dry.state()).isEqualTo("valid");
        assertThat(maintenance).isEmpty();
        assertThat(fleet.started).isEmpty();
        assertThat(service.list()).isEmpty();
        // h3 takes two (800 of 1024 MiB), h2 (300 used) one: the ledger books each choice before the next
        assertThat(dry.items()).extracting(PlanItemView::destination).containsExactly("h3", "h2", "h3");

        PlanView run = evacuation.evacuate("h1", false, "warm");
        assertThat(maintenance).containsExactly("h1");
        assertThat(run.state()).isEqualTo("running");
        assertThat(run.items()).allSatisfy(i -> assertThat(i.mode()).isEqualTo("warm"));
        service.tickAll();
        assertThat(fleet.running()).isNotEmpty();
    }

    @Test
    void aRefusedEvacuationLeavesTheHostOutOfMaintenance() {
        fleet.addVm("huge", "h1", 1000);
        fleet.addVm("r2", "h2", 100);
        fleet.addVm("r3", "h3", 100);
        assertThatThrownBy(() -> evacuation.evacuate("h1", false, null)).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ASSESSMENT_BLOCKED));
        assertThat(maintenance).isEmpty();
        assertThatThrownBy(() -> evacuation.evacuate("h9", true, null)).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.HOST_NOT_FOUND));
        assertThatThrownBy(() -> evacuation.evacuate("h1", true, "teleport")).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PLAN));
    }
}
