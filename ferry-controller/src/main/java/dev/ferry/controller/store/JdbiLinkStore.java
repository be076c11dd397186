package dev.ferry.controller.store;

import dev.ferry.api.host.LinkMeasurement;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link LinkStore} on the {@code link_measurements} table (SQL both databases accept). */
final class JdbiLinkStore implements LinkStore {
    private static final String COLUMNS = "from_host, to_host, goodput_mibps, rtt_ms, loss_percent, at";
    private static final RowMapper<LinkMeasurement> MAPPER = (rs, ctx) -> new LinkMeasurement(rs.getString("from_host"),
            rs.getString("to_host"), rs.getDouble("goodput_mibps"), rs.getDouble("rtt_ms"), rs.getDouble("loss_percent"),
            Db.instant(rs, "at"));

    private final Db db;

    JdbiLinkStore(Db db) { this.db = db; }

    @Override
    public void add(LinkMeasurement m) {
        Db.require(m.from(), "from host");
        Db.require(m.to(), "to host");
        Db.require(m.at(), "measurement time");
        db.withHandle("saving the link measurement " + m.from() + " -> " + m.to(), h -> h.createUpdate(
                        "INSERT INTO link_measurements (" + COLUMNS + ") VALUES (:from, :to, :goodput, :rtt, :loss, :at)")
                .bind("from", m.from()).bind("to", m.to()).bind("goodput", m.goodputMiBps()).bind("rtt", m.rttMs())
                .bind("loss", m.lossPercent()).bind("at", Db.toMillis(m.at())).execute());
    }

    @Override
    public Optional<LinkMeasurement> latest(String from, String to) {
        return db.withHandle("reading the link measurement " + from + " -> " + to, h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM link_measurements WHERE from_host = :from AND to_host = :to "
                                + "ORDER BY at DESC, seq DESC LIMIT 1")
                .bind("from", from).bind("to", to).map(MAPPER).findOne());
    }

    @Override
    public List<LinkMeasurement> latestOf(String host) {
        return db.withHandle("reading the link measurements of " + host, h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM link_measurements m WHERE (from_host = :host OR to_host = :host) AND seq = "
                                + "(SELECT MAX(seq) FROM link_measurements n WHERE n.from_host = m.from_host AND n.to_host = m.to_host) "
                                + "ORDER BY from_host, to_host")
                .bind("host", host).map(MAPPER).list());
    }
}
