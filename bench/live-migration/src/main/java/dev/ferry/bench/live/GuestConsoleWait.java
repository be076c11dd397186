package dev.ferry.bench.live;

import dev.ferry.cli.lab.GuestConsole;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the test guest's serial console for the benchmark: waits until it is ready, and after a
 * migration says in one phrase whether the guest is intact where it ended (a fresh MEMORY-OK report
 * and heartbeats, no corruption line), from the guest's own mouth rather than QEMU's status.
 */
final class GuestConsoleWait {
    private GuestConsoleWait() {}

    static void ready(Path log, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            GuestConsole.Snapshot s = GuestConsole.read(log, GuestConsole.Mark.START);
            if (s.ready() && s.lastHeartbeat() != null) return;
            DirectMigration.sleep(200);
        }
        throw new IllegalStateException("the guest did not become ready within " + timeout.toSeconds() + " s; see " + log);
    }

    /** "intact (MEMORY-OK, heartbeat 123)", or what is wrong; reads only what the log got after {@code from}. */
    static String verdict(Path log, GuestConsole.Mark from, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        GuestConsole.Snapshot s = GuestConsole.read(log, from);
        while (System.nanoTime() < deadline) {
            if (!s.healthy()) return "CORRUPT: " + s.problems().get(0);
            if (s.memoryOkLines() > 0 && s.lastHeartbeat() != null) return "intact (MEMORY-OK, heartbeat " + s.lastHeartbeat() + ")";
            DirectMigration.sleep(250);
            s = GuestConsole.read(log, from);
        }
        return s.healthy() ? "NO REPORT within " + timeout.toSeconds() + " s" : "CORRUPT: " + s.problems().get(0);
    }
}
