package dev.ferry.agent.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.CacheMode;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.qemu.launch.QemuCommandLine;
import dev.ferry.qemu.qmp.QmpClient;
import dev.ferry.qemu.qmp.QmpCommandException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The block nodes of a running QEMU, addressed through QMP. A disk's guest device ({@code dev-<id>})
 * is stable, but the node behind it is not: QEMU starts with {@code disk-<id>} (see
 * {@link QemuCommandLine}), and after a disk move pivots to a mirror target the device sits on a
 * node of another name. So block jobs always look the device's current node up instead of assuming
 * {@code disk-<id>}.
 */
public final class BlockNodes {
    private BlockNodes() {}

    /** The node name of the format layer the disk's guest device uses now. */
    public static String current(QmpClient qmp, DiskSpec disk) {
        String dev = QemuCommandLine.deviceId(disk);
        for (JsonNode b : qmp.execute("query-block")) {
            String qdev = b.path("qdev").asText("");
            if (qdev.equals(dev) || qdev.equals("/machine/peripheral/" + dev) || qdev.startsWith("/machine/peripheral/" + dev + "/")) {
                String node = b.path("inserted").path("node-name").asText("");
                if (node.isEmpty()) break;
                return node;
            }
        }
        throw new FerryException(ErrorCode.QEMU_FAILED, "QEMU has no block device " + dev + " with an image (disk '" + disk.id() + "')");
    }

    /** The names of all block nodes QEMU has now. */
    public static Set<String> names(QmpClient qmp) {
        Set<String> names = new HashSet<>();
        for (JsonNode n : qmp.execute("query-named-block-nodes", Map.of("flat", true))) names.add(n.path("node-name").asText());
        return names;
    }

    /**
     * A node name not in use, {@code <prefix><n>-<id>}, within QEMU's limit of 31 characters. Used
     * for the new nodes of a disk move, whose names must differ from the nodes they replace.
     */
    public static String freeName(Set<String> taken, String prefix, String diskId) {
        for (int n = 1; n < 1000; n++) {
            String name = prefix + n + "-" + diskId;
            if (name.length() > 31) name = name.substring(0, 31);
            if (!taken.contains(name)) {
                taken.add(name);
                return name;
            }
        }
        throw new FerryException(ErrorCode.QEMU_FAILED, "no free block node name for disk '" + diskId + "'");
    }

    /**
     * Opens an image in the running QEMU as two nodes, protocol ({@code fileNode}) and format
     * ({@code formatNode}), with the disk's cache settings and the format always explicit. A qcow2
     * node is opened without its backing chain when {@code noBacking} (a new overlay or mirror target
     * gets its data from a job, not from a backing file).
     */
    public static void addImage(QmpClient qmp, Path image, DiskFormat format, CacheMode cache, String fileNode, String formatNode,
                                boolean noBacking) {
        CacheMode c = cache == null ? CacheMode.WRITEBACK : cache;
        ObjectNode file = Json.mapper().createObjectNode().put("driver", "file").put("filename", image.toString())
                .put("node-name", fileNode);
        file.putObject("cache").put("direct", c.direct()).put("no-flush", c.noFlush());
        ObjectNode fmt = Json.mapper().createObjectNode().put("driver", format.json()).put("file", fileNode)
                .put("node-name", formatNode);
        fmt.putObject("cache").put("direct", c.direct()).put("no-flush", c.noFlush());
        if (noBacking && format == DiskFormat.QCOW2) fmt.putNull("backing");
        qmp.execute("blockdev-add", file);
        try {
            qmp.execute("blockdev-add", fmt);
        } catch (RuntimeException e) {
            deleteQuietly(qmp, fileNode);
            throw e;
        }
    }

    /** {@code blockdev-del}, ignoring a node that does not exist (any more). */
    public static void deleteQuietly(QmpClient qmp, String node) {
        try {
            qmp.execute("blockdev-del", Map.of("node-name", node));
        } catch (QmpCommandException e) {
            if (!e.description().contains("Failed to find node") && !e.description().contains("Cannot find node")) throw e;
        }
    }

    /** The virtual size QEMU reports for a node, in bytes. */
    public static long virtualSize(QmpClient qmp, String node) {
        for (JsonNode n : qmp.execute("query-named-block-nodes", Map.of("flat", true))) {
            if (node.equals(n.path("node-name").asText())) return n.path("image").path("virtual-size").asLong();
        }
        throw new FerryException(ErrorCode.QEMU_FAILED, "QEMU has no block node '" + node + "'");
    }
}
