package dev.ferry.cli;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.pki.TlsIdentity;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/**
 * Where the CLI connects and with which certificate: flags first, then the config file
 * ({@code --config}, $FERRY_CONFIG, or ~/.config/ferry/cli.yaml) with keys {@code agent},
 * {@code server} and {@code tlsDir}. Shared by every client verb as a picocli mixin.
 */
final class ClientOptions {
    record FileConfig(String agent, String server, String tlsDir) {}

    @Option(names = "--config", description = "CLI config file (default $FERRY_CONFIG or ~/.config/ferry/cli.yaml)")
    Path config;

    @Option(names = "--agent", description = "agent URL, e.g. https://127.0.0.1:7001")
    URI agent;

    @Option(names = "--server", description = "controller URL, e.g. https://127.0.0.1:7000")
    URI server;

    @Option(names = "--tls-dir", description = "client identity directory issued by 'ferry pki issue'")
    Path tlsDir;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json")
    String output;

    private FileConfig file;

    AgentClient agentClient() {
        URI url = agent != null ? agent : uri(fileConfig().agent(), "agent");
        return new AgentClient(ssl(), url);
    }

    URI serverUri() {
        return server != null ? server : uri(fileConfig().server(), "server");
    }

    /** True when an agent was named on the command line, or no controller is configured. */
    boolean prefersAgent() {
        return agent != null || (server == null && fileConfig().server() == null);
    }

    SSLContext ssl() {
        Path dir = tlsDir != null ? tlsDir : fileConfig().tlsDir() == null ? null : Path.of(fileConfig().tlsDir());
        if (dir == null) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "no client certificate: pass --tls-dir or set tlsDir in the CLI config");
        }
        return TlsIdentity.load(dir).sslContext();
    }

    boolean json() {
        if (!output.equals("json") && !output.equals("table")) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "-o must be table or json, not '" + output + "'");
        }
        return output.equals("json");
    }

    private URI uri(String value, String what) {
        if (value == null) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "no " + what + " URL: pass --" + what + " or set " + what + " in the CLI config");
        }
        return URI.create(value);
    }

    private FileConfig fileConfig() {
        if (file != null) return file;
        Path p = config;
        if (p == null && System.getenv("FERRY_CONFIG") != null) p = Path.of(System.getenv("FERRY_CONFIG"));
        if (p == null) p = Path.of(System.getProperty("user.home"), ".config", "ferry", "cli.yaml");
        if (!Files.exists(p)) {
            if (config != null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "config file " + p + " does not exist");
            return file = new FileConfig(null, null, null);
        }
        try {
            return file = Json.yaml().readValue(p.toFile(), FileConfig.class);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "cannot read " + p + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
