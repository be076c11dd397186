-- Ferry controller schema, version 2: what the fleet assessment remembers. Same dialect rules as V1.

-- Hosts in maintenance mode: no incoming migrations, never recommended. A row means "on".
CREATE TABLE host_maintenance (
    host      TEXT   NOT NULL PRIMARY KEY,
    since     BIGINT NOT NULL,
    reason    TEXT
);

-- What `ferry host probe A B` measured from A to B on the migration network.
CREATE TABLE link_measurements (
    seq            ${identity_pk},
    from_host      TEXT             NOT NULL,
    to_host        TEXT             NOT NULL,
    goodput_mibps  DOUBLE PRECISION NOT NULL,
    rtt_ms         DOUBLE PRECISION NOT NULL,
    loss_percent   DOUBLE PRECISION NOT NULL,
    at             BIGINT           NOT NULL
);

CREATE INDEX link_measurements_by_pair ON link_measurements (from_host, to_host, at);

-- Proofs that a pool declared shared is one storage on two hosts: a marker written through one
-- host's pool was (shared = TRUE) or was not read back through the other's.
CREATE TABLE pool_proofs (
    writer_host  TEXT    NOT NULL,
    writer_pool  TEXT    NOT NULL,
    reader_host  TEXT    NOT NULL,
    reader_pool  TEXT    NOT NULL,
    shared       BOOLEAN NOT NULL,
    detail       TEXT,
    proven_at    BIGINT  NOT NULL,
    PRIMARY KEY (writer_host, writer_pool, reader_host, reader_pool)
);
