package dev.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** CLI verbs are quiet (warnings only); long-running services log their work at INFO. */
final class Logging {
    private Logging() {}

    static void server() {
        ((Logger) LoggerFactory.getLogger("dev.ferry")).setLevel(Level.INFO);
    }
}
