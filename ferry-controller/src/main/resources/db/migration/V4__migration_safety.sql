-- Migration safety: the point-in-time backups taken before a migration moves anything
-- (ferry migration start --backup). One script for SQLite and PostgreSQL.

CREATE TABLE backups (
    id           TEXT   NOT NULL PRIMARY KEY,
    migration_id TEXT   NOT NULL REFERENCES migrations (id) ON DELETE CASCADE,
    vm           TEXT   NOT NULL,
    host         TEXT   NOT NULL,
    taken_at     BIGINT NOT NULL,
    state        TEXT   NOT NULL,
    images_json  TEXT   NOT NULL,
    spec_json    TEXT   NOT NULL,
    keep_until   BIGINT,
    detail       TEXT,
    updated_at   BIGINT NOT NULL
);

CREATE UNIQUE INDEX backups_one_per_migration ON backups (migration_id);

CREATE INDEX backups_by_state ON backups (state, keep_until);
