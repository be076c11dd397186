package dev.ferry.agent.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.qemu.qmp.QmpClient;
import dev.ferry.qemu.qmp.QmpCommandException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The QMP commands that prepare either end of a migration: TLS credentials, capabilities and
 * parameters. Both ends need the same capabilities and both need the cluster's certificates, so the
 * incoming and outgoing paths share these instead of each spelling out QMP arguments. TLS uses the
 * agent's own identity directory, whose file names are exactly what {@code tls-creds-x509} reads.
 */
public final class MigrationQmp {
    /** The id of the TLS credentials object; one per QEMU is enough (a QEMU is one end of one migration). */
    public static final String TLS_ID = "tls0";

    private MigrationQmp() {}

    /**
     * Creates {@code tls0} for {@code endpoint} (server on the destination, client on the source),
     * replacing one left from an earlier migration: QEMU reads the files when the object is created,
     * so a fresh object also picks up a renewed certificate, and a VM that arrived here as a
     * destination (server) needs client credentials when it leaves again.
     */
    public static void installTlsCredentials(QmpClient qmp, Path identityDir, String endpoint) {
        installTlsCredentials(qmp, identityDir, endpoint, TLS_ID);
    }

    /** As above, under another object id (the NBD server or client of a disk mirror has its own). */
    static void installTlsCredentials(QmpClient qmp, Path identityDir, String endpoint, String id) {
        if (hasObject(qmp, id)) qmp.execute("object-del", Map.of("id", id));
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("qom-type", "tls-creds-x509");
        args.put("id", id);
        args.put("dir", identityDir.toAbsolutePath().toString());
        args.put("endpoint", endpoint);
        args.put("verify-peer", true);
        try {
            qmp.execute("object-add", args);
        } catch (QmpCommandException e) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "QEMU cannot load the TLS identity in " + identityDir
                    + " for migration: " + e.description(), e);
        }
    }

    public static void setCapabilities(QmpClient qmp, Map<String, Boolean> capabilities) {
        if (capabilities.isEmpty()) return;
        List<Map<String, Object>> list = new ArrayList<>();
        new TreeMap<>(capabilities).forEach((name, state) -> list.add(Map.of("capability", name, "state", state)));
        try {
            qmp.execute("migrate-set-capabilities", Map.of("capabilities", list));
        } catch (QmpCommandException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "QEMU refused the migration capabilities "
                    + new TreeMap<>(capabilities) + ": " + e.description(), e);
        }
    }

    /** Sends one complete capability list ({@link MigrationSettings}); {@code enabled} names the ones switched on, for the error. */
    static void setCapabilityList(QmpClient qmp, List<Map<String, Object>> list, List<String> enabled) {
        try {
            qmp.execute("migrate-set-capabilities", Map.of("capabilities", list));
        } catch (QmpCommandException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "QEMU refused the migration capabilities (on: " + enabled
                    + ", all others off): " + e.description(), e);
        }
    }

    static void setParameters(QmpClient qmp, Map<String, Object> parameters) {
        try {
            qmp.execute("migrate-set-parameters", parameters);
        } catch (QmpCommandException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "QEMU refused the migration parameters "
                    + parameters.keySet() + ": " + e.description(), e);
        }
    }

    /** Removes a QOM object if it exists; a failure (e.g. still in use) is only logged by the caller's choice. */
    static void deleteObjectIfExists(QmpClient qmp, String id) {
        if (hasObject(qmp, id)) qmp.execute("object-del", Map.of("id", id));
    }

    private static boolean hasObject(QmpClient qmp, String id) {
        JsonNode children = qmp.execute("qom-list", Map.of("path", "/objects"));
        for (JsonNode child : children) {
            if (id.equals(child.path("name").asText())) return true;
        }
        return false;
    }
}
