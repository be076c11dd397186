package dev.ferry.controller.store;

import dev.ferry.api.host.LinkMeasurement;
import java.util.List;
import java.util.Optional;

/** The link measurements of {@code ferry host probe}, kept with their time so predictions can use the newest one of a pair. */
public interface LinkStore {
    void add(LinkMeasurement m);

    /** The newest measurement from {@code from} to {@code to}. */
    Optional<LinkMeasurement> latest(String from, String to);

    /** The newest measurement of every pair that starts or ends at {@code host}. */
    List<LinkMeasurement> latestOf(String host);
}
