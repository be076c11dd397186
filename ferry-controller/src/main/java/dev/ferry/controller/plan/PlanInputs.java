package dev.ferry.controller.plan;

import java.util.Optional;

/**
 * What plan predictions measure before a plan runs: the link goodput between two hosts (the newest
 * link measurement, {@code ferry host probe}) and a guest's dirty rate (the agent's dirty-rate
 * endpoint). Either may be unknown; the predictor then states the default it assumed.
 */
public interface PlanInputs {
    /** Goodput in bytes/s of the newest measurement of the link between {@code from} and {@code to}, if any. */
    Optional<Long> linkBytesPerSec(String from, String to);

    /** How fast {@code vm} on {@code host} dirties memory, bytes/s, if it could be measured. */
    Optional<Long> dirtyBytesPerSec(String host, String vm);

    /** Nothing measured: every prediction uses the stated defaults. */
    PlanInputs NONE = new PlanInputs() {
        @Override
        public Optional<Long> linkBytesPerSec(String from, String to) { return Optional.empty(); }

        @Override
        public Optional<Long> dirtyBytesPerSec(String host, String vm) { return Optional.empty(); }
    };
}
