package dev.ferry.transfer;

import dev.ferry.api.json.Json;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.pki.ClusterCa;
import dev.ferry.pki.TlsIdentity;
import dev.ferry.qemu.img.ImageInspector;
import dev.ferry.qemu.img.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transfer engine without agents, for the benchmark ({@code bench/disk-transfer/run.sh}) and
 * for poking at it by hand:
 *
 * <pre>
 * TransferTool pki DIR IP...                         a CA and identities host-a, host-b valid for the IPs
 * TransferTool receive --tls DIR --bind IP --target FILE --format raw|qcow2 --ready FILE
 *      writes "PORT TOKEN" to the ready file, waits for the transfer, prints its status as JSON
 * TransferTool send --tls DIR --host IP --port N --token T --image FILE --format raw|qcow2 [--compress] [--bandwidth BYTES_PER_S]
 *      prints the sender's status as JSON
 * </pre>
 */
public final class TransferTool {
    private TransferTool() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage();
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "pki" -> {
                Path dir = Path.of(args[1]);
                ClusterCa ca = ClusterCa.init(dir.resolve("ca"), "bench");
                List<String> ips = List.of(args).subList(2, args.length);
                ca.issue("host-a", ips, List.of("localhost"), dir.resolve("host-a"));
                ca.issue("host-b", ips, List.of("localhost"), dir.resolve("host-b"));
            }
            case "receive" -> {
                Path target = Path.of(o.get("target")).toAbsolutePath();
                DiskReceiver r = DiskReceiver.open(new DiskReceiver.Config("bench", target, DiskFormat.parse(o.get("format")),
                        TlsIdentity.load(Path.of(o.get("tls"))).sslContext(), o.get("bind"), QemuImg.system(), 120_000));
                Path ready = Path.of(o.get("ready"));
                Files.writeString(ready.resolveSibling(ready.getFileName() + ".tmp"), r.port() + " " + r.token() + "\n");
                Files.move(ready.resolveSibling(ready.getFileName() + ".tmp"), ready);
                while (!r.progress().status().isFinished()) Thread.sleep(50);
                System.out.println(Json.mapper().writeValueAsString(r.progress().status()));
                r.close();
                System.exit(r.progress().status().isDone() ? 0 : 1);
            }
            case "send" -> {
                Path image = Path.of(o.get("image")).toAbsolutePath();
                DiskFormat format = DiskFormat.parse(o.get("format"));
                QemuImg qemuImg = QemuImg.system();
                ImageInspector.Report report = new ImageInspector(List.of(image.getParent())).inspectAndCrossCheck(image, format, qemuImg);
                try (SourceImage source = SourceImage.open(report, qemuImg, 4 << 20, image.getParent())) {
                    DiskSender.Options opts = DiskSender.Options.defaults().withCompress(o.containsKey("compress"))
                            .withBandwidth(Long.parseLong(o.getOrDefault("bandwidth", "0"))).withRetry(5, Duration.ofSeconds(1));
                    DiskSender s = new DiskSender(TlsIdentity.load(Path.of(o.get("tls"))).sslContext(), o.get("host"),
                            Integer.parseInt(o.get("port")), o.get("token"), source, opts, new TransferProgress("bench", "send", image.toString()));
                    try {
                        s.run();
                    } finally {
                        System.out.println(Json.mapper().writeValueAsString(s.progress().status()));
                    }
                }
            }
            default -> usage();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) continue;
            String key = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            o.put(key, flag ? "true" : args[++i]);
        }
        return o;
    }

    private static void usage() {
        System.err.println("usage: TransferTool pki DIR IP... | receive --tls DIR --bind IP --target FILE --format F --ready FILE"
                + " | send --tls DIR --host IP --port N --token T --image FILE --format F [--compress] [--bandwidth B]");
        System.exit(2);
    }
}
