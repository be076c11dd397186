package dev.ferry.cli;

import dev.ferry.pki.ClusterCa;
import dev.ferry.pki.IssuedIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry pki}: the cluster CA and the certificates of hosts and clients. */
@Command(name = "pki", description = "Create the cluster CA and issue host and client certificates.",
        subcommands = {PkiCommand.Init.class, PkiCommand.Issue.class})
final class PkiCommand {

    @Command(name = "init", description = "Create a cluster CA in --dir (refuses to overwrite one).")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "directory for ca-cert.pem and ca-key.pem")
        Path dir;

        @Option(names = "--cluster-name", defaultValue = "ferry", description = "name in the CA certificate")
        String clusterName;

        @Override
        public Integer call() {
            ClusterCa ca = ClusterCa.init(dir, clusterName);
            System.out.println("created cluster CA in " + ca.dir() + " (fingerprint " + ca.fingerprintSha256() + ")");
            return 0;
        }
    }

    @Command(name = "issue", description = "Issue a host or client certificate, laid out for Ferry and QEMU's tls-creds-x509.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--ca", required = true, description = "the CA directory of 'ferry pki init'")
        Path caDir;

        @Option(names = "--name", required = true, description = "host or client name (certificate CN)")
        String name;

        @Option(names = "--ip", split = ",", description = "IP addresses the host is reached at")
        List<String> ips = new ArrayList<>();

        @Option(names = "--dns", split = ",", description = "DNS names the host is reached at")
        List<String> dns = new ArrayList<>();

        @Option(names = "--out", description = "output directory (default: CA_DIR/NAME)")
        Path out;

        @Override
        public Integer call() {
            ClusterCa ca = ClusterCa.load(caDir);
            IssuedIdentity id = ca.issue(name, ips, dns, out == null ? caDir.resolve(name) : out);
            System.out.println("issued " + id.name() + " in " + id.dir() + " (fingerprint " + id.fingerprintSha256() + ")");
            return 0;
        }
    }
}
