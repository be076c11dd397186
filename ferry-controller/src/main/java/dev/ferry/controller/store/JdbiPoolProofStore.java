package dev.ferry.controller.store;

import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link PoolProofStore} on the {@code pool_proofs} table (SQL both databases accept). */
final class JdbiPoolProofStore implements PoolProofStore {
    private static final String COLUMNS = "writer_host, writer_pool, reader_host, reader_pool, shared, detail, proven_at";
    private static final RowMapper<Proof> MAPPER = (rs, ctx) -> new Proof(rs.getString("writer_host"), rs.getString("writer_pool"),
            rs.getString("reader_host"), rs.getString("reader_pool"), rs.getBoolean("shared"), rs.getString("detail"),
            Db.instant(rs, "proven_at"));

    private final Db db;

    JdbiPoolProofStore(Db db) { this.db = db; }

    @Override
    public void save(Proof p) {
        Db.require(p.provenAt(), "proof time");
        db.withHandle("saving the proof of pool '" + p.writerPool() + "'", h -> h.createUpdate(
                        "INSERT INTO pool_proofs (" + COLUMNS + ") VALUES (:wh, :wp, :rh, :rp, :shared, :detail, :at) "
                                + "ON CONFLICT (writer_host, writer_pool, reader_host, reader_pool) DO UPDATE SET "
                                + "shared = excluded.shared, detail = excluded.detail, proven_at = excluded.proven_at")
                .bind("wh", p.writerHost()).bind("wp", p.writerPool()).bind("rh", p.readerHost()).bind("rp", p.readerPool())
                .bind("shared", p.shared()).bind("detail", p.detail()).bind("at", Db.toMillis(p.provenAt())).execute());
    }

    @Override
    public Optional<Proof> find(String writerHost, String writerPool, String readerHost, String readerPool) {
        return db.withHandle("reading the proof of pool '" + writerPool + "'", h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM pool_proofs WHERE writer_host = :wh AND writer_pool = :wp "
                                + "AND reader_host = :rh AND reader_pool = :rp")
                .bind("wh", writerHost).bind("wp", writerPool).bind("rh", readerHost).bind("rp", readerPool).map(MAPPER).findOne());
    }
}
