package dev.ferry.controller.host;

import dev.ferry.api.host.LinkMeasurement;
import java.util.Optional;

/**
 * The measured links between hosts, as others read them: the newest measurement of {@code ferry
 * host probe} from one host to another (plan predictions take its goodput as the link's bandwidth).
 */
public interface LinkMeasurements {
    /** The newest measurement from {@code from} to {@code to}, if the pair was ever probed. */
    Optional<LinkMeasurement> latest(String from, String to);
}
