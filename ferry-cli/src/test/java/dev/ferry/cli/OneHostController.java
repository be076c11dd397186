package dev.ferry.cli;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.controller.ServerConfig;
import dev.ferry.controller.FerryController;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest real set-up for CLI tests of controller verbs: one {@link TestAgent} registered as
 * {@code host-1} with a controller whose state (and default SQLite database) lives in the agent's
 * directory under {@code ctl}, and the connection flags that point {@code ferry} at it with the
 * cluster's client identity. Shared so the CLI tests build it, and restart it, the same way.
 */
final class OneHostController {
    private OneHostController() {}

    /** The controller's state directory: its SQLite database is {@code ferry.db} in it. */
    static Path stateDir(TestAgent agent) { return agent.dir().resolve("ctl"); }

    /** A controller on a free loopback port with {@code agent} as its one host, host-1. */
    static ServerConfig config(TestAgent agent) {
        return new ServerConfig("127.0.0.1:0", stateDir(agent).toString(), agent.pki().hostDir("controller").toString(), null,
                List.of(new ServerConfig.Host("host-1", agent.url().toString())), 1);
    }

    /** {@code verb} followed by {@code --server} and {@code --tls-dir} for {@code controller} and {@code agent}'s client identity. */
    static String[] args(FerryController controller, TestAgent agent, String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--server", "https://127.0.0.1:" + controller.port(), "--tls-dir", agent.pki().clientDir().toString()));
        return a.toArray(String[]::new);
    }
}
