package dev.ferry.controller.modes;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The lifecycle every migration-mode test shares: one two-agent cluster with a controller per test
 * class ({@link ModesCluster}), every VM removed after each test, everything stopped after the
 * class. Test classes run one at a time, so one static cluster serves whichever class runs.
 */
@Tag("qemu")
abstract class ModesTest {
    static ModesCluster cluster;

    @BeforeAll
    static void startCluster() { cluster = ModesCluster.start(); }

    @AfterEach
    void removeVms() { cluster.removeAllVms(); }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
        cluster = null;
    }
}
