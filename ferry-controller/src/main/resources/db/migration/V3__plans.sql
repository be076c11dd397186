-- Ferry controller schema, version 3: migration plans and their items (see docs/plans.md).
-- A plan's row holds its document (JSON of the checked definition) and state; each item is one
-- VM's move with its chosen destination, the migration job once started, and predicted and
-- measured figures. A controller restarted mid-plan resumes from these rows.

CREATE TABLE plans (
    id                 TEXT   NOT NULL PRIMARY KEY,
    name               TEXT   NOT NULL,
    state              TEXT   NOT NULL,
    on_failure         TEXT   NOT NULL,
    definition_json    TEXT   NOT NULL,
    findings_json      TEXT,
    predicted_total_ms BIGINT,
    error_message      TEXT,
    created_at         BIGINT NOT NULL,
    started_at         BIGINT,
    finished_at        BIGINT
);

CREATE INDEX plans_by_created ON plans (created_at);

CREATE TABLE plan_items (
    plan_id               TEXT    NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq                   INTEGER NOT NULL,
    vm                    TEXT    NOT NULL,
    source_host           TEXT    NOT NULL,
    dest_host             TEXT    NOT NULL,
    wave                  INTEGER NOT NULL,
    mode                  TEXT    NOT NULL,
    state                 TEXT    NOT NULL,
    request_json          TEXT    NOT NULL,
    assessment_json       TEXT,
    migration_id          TEXT,
    rollback_migration_id TEXT,
    predicted_total_ms    BIGINT,
    predicted_downtime_ms BIGINT,
    predicted_bytes       BIGINT,
    measured_total_ms     BIGINT,
    measured_downtime_ms  BIGINT,
    measured_bytes        BIGINT,
    error                 TEXT,
    PRIMARY KEY (plan_id, seq)
);
