package dev.ferry.api.client;

import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.safety.BackupView;
import dev.ferry.api.safety.RollbackRequest;
import dev.ferry.api.safety.TestMigrationRequest;
import java.util.List;

/**
 * The controller's migration-safety calls: test migrations, rollbacks, backups and the per-migration
 * report. Built on a {@link ControllerClient}'s connection ({@code SafetyClient.of(controller)}).
 */
public final class SafetyClient {
    private final JsonHttp http;

    private SafetyClient(JsonHttp http) { this.http = http; }

    public static SafetyClient of(ControllerClient controller) { return new SafetyClient(controller.http()); }

    /** Starts a test migration job: a clone of the VM booted on the destination in isolation, verified, removed. */
    public MigrationView startTest(TestMigrationRequest req) { return http.post("/v1/migrations/test", req, MigrationView.class); }

    /** Rolls a migration back; answers the new job (the migration back, or the restore from the backup). */
    public MigrationView rollback(String id, RollbackRequest req) {
        return http.post("/v1/migrations/" + id + "/rollback", req, MigrationView.class);
    }

    /** The backup taken before migration {@code id}. */
    public BackupView backup(String id) { return http.get("/v1/migrations/" + id + "/backup", BackupView.class); }

    public List<BackupView> backups() {
        return http.get("/v1/backups", new com.fasterxml.jackson.core.type.TypeReference<List<BackupView>>() {});
    }

    /** The job's report, Markdown. */
    public String report(String id) { return http.get("/v1/migrations/" + id + "/report", String.class); }
}
