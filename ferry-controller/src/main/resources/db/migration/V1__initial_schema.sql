-- Ferry controller schema, version 1. One script for SQLite and PostgreSQL: only types and syntax
-- both accept. Instants are epoch milliseconds (BIGINT), JSON documents are TEXT.
-- ${identity_pk} is the one dialect difference, set by Database: an auto-increment primary key.

CREATE TABLE hosts (
    name              TEXT    NOT NULL PRIMARY KEY,
    api_url           TEXT    NOT NULL,
    migration_address TEXT,
    fingerprint       TEXT,
    accelerator       TEXT,
    qemu_version      TEXT,
    info_json         TEXT,
    registered_at     BIGINT  NOT NULL,
    last_seen_at      BIGINT,
    status            TEXT    NOT NULL
);

CREATE TABLE vms (
    name       TEXT   NOT NULL PRIMARY KEY,
    host       TEXT   NOT NULL,
    state      TEXT   NOT NULL,
    spec_json  TEXT,
    updated_at BIGINT NOT NULL
);

CREATE INDEX vms_by_host ON vms (host);

CREATE TABLE migrations (
    id              TEXT    NOT NULL PRIMARY KEY,
    vm              TEXT    NOT NULL,
    source_host     TEXT    NOT NULL,
    dest_host       TEXT    NOT NULL,
    mode            TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    phase           TEXT,
    params_json     TEXT,
    stats_json      TEXT,
    result_json     TEXT,
    error_code      TEXT,
    error_message   TEXT,
    abort_requested BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    finished_at     BIGINT
);

-- At most one unfinished migration per VM, enforced here so that racing controllers cannot both
-- start one. JdbiMigrationStore turns a violation into VM_BUSY.
CREATE UNIQUE INDEX migrations_one_active_per_vm ON migrations (vm) WHERE finished_at IS NULL;

CREATE INDEX migrations_by_created ON migrations (created_at);

CREATE TABLE migration_events (
    seq          ${identity_pk},
    migration_id TEXT   NOT NULL REFERENCES migrations (id) ON DELETE CASCADE,
    at           BIGINT NOT NULL,
    kind         TEXT   NOT NULL,
    message      TEXT,
    data_json    TEXT
);

CREATE INDEX migration_events_by_migration ON migration_events (migration_id, seq);
