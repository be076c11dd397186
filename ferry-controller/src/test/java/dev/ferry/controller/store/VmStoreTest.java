package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VmStoreTest extends StoreContract {

    static VmRecord vm(String name, String host, String state) {
        return new VmRecord(name, host, state, "{\"name\":\"" + name + "\"}", T0);
    }

    @Test
    void upsertFindAllAndOnHost() {
        db.vms().upsert(vm("web", "alpha", "RUNNING"));
        db.vms().upsert(vm("db", "alpha", "STOPPED"));
        db.vms().upsert(vm("cache", "beta", "RUNNING"));
        assertThat(db.vms().find("web")).contains(vm("web", "alpha", "RUNNING"));
        assertThat(db.vms().find("nope")).isEmpty();
        assertThat(db.vms().all()).extracting(VmRecord::name).containsExactly("cache", "db", "web");
        assertThat(db.vms().onHost("alpha")).extracting(VmRecord::name).containsExactly("db", "web");
        assertThat(db.vms().onHost("gamma")).isEmpty();
    }

    @Test
    void upsertReplacesAndCanMoveAVmToAnotherHost() {
        db.vms().upsert(vm("web", "alpha", "RUNNING"));
        VmRecord moved = new VmRecord("web", "beta", "PAUSED", null, T0.plusSeconds(5));
        db.vms().upsert(moved);
        assertThat(db.vms().find("web")).contains(moved);
        assertThat(db.vms().onHost("alpha")).isEmpty();
    }

    @Test
    void replaceHostDeletesMissingUpsertsListedAndLeavesOtherHostsAlone() {
        db.vms().upsert(vm("keep", "alpha", "RUNNING"));
        db.vms().upsert(vm("gone", "alpha", "RUNNING"));
        db.vms().upsert(vm("other", "beta", "RUNNING"));
        db.vms().upsert(vm("arrived", "beta", "RUNNING")); // migrated to alpha since beta last reported

        List<VmRecord> report = List.of(vm("keep", "alpha", "PAUSED"), vm("new", "alpha", "RUNNING"),
                vm("arrived", "alpha", "RUNNING"));
        db.vms().replaceHost("alpha", report);

        assertThat(db.vms().onHost("alpha")).containsExactly(
                vm("arrived", "alpha", "RUNNING"), vm("keep", "alpha", "PAUSED"), vm("new", "alpha", "RUNNING"));
        assertThat(db.vms().find("gone")).isEmpty();
        assertThat(db.vms().onHost("beta")).containsExactly(vm("other", "beta", "RUNNING"));
    }

    @Test
    void replaceHostWithEmptyListClearsThatHost() {
        db.vms().upsert(vm("a", "alpha", "RUNNING"));
        db.vms().upsert(vm("b", "beta", "RUNNING"));
        db.vms().replaceHost("alpha", List.of());
        assertThat(db.vms().all()).extracting(VmRecord::name).containsExactly("b");
    }

    @Test
    void replaceHostRejectsRecordsOfAnotherHostAndChangesNothing() {
        db.vms().upsert(vm("a", "alpha", "RUNNING"));
        assertFerry(ErrorCode.INVALID_ARGUMENT,
                () -> db.vms().replaceHost("alpha", List.of(vm("b", "alpha", "RUNNING"), vm("c", "beta", "RUNNING"))));
        assertThat(db.vms().all()).containsExactly(vm("a", "alpha", "RUNNING"));
    }

    @Test
    void deleteReportsWhetherAVmWasThere() {
        db.vms().upsert(vm("a", "alpha", "RUNNING"));
        assertThat(db.vms().delete("a")).isTrue();
        assertThat(db.vms().delete("a")).isFalse();
    }

    @Test
    void missingRequiredFieldsAreInvalidArgument() {
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.vms().upsert(new VmRecord("a", null, "RUNNING", null, T0)));
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.vms().upsert(new VmRecord("a", "alpha", "RUNNING", null, null)));
    }
}
