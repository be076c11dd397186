package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real three-host netns lab (as root; no QEMU): built under names and a subnet of its own, so it
 * never meets a demo or a benchmark lab running at the same time. Every host must reach every
 * other host's migration address over the bridge, shaping must put a tbf on both ends of every
 * host's link, and destroying it must leave no namespace behind.
 */
class MultiHostNetnsLabTest {
    private static final int RUN = new java.security.SecureRandom().nextInt(0x100);
    private static final String TAG = String.format("%02x", RUN);
    private static final AddressPlan PLAN = AddressPlan.netns(3, "ferry-nlt" + TAG + "-", "fn" + TAG + "-", 200 + RUN % 19);

    @Test
    void everyPairOfHostsReachesEachOtherAndEachLinkIsShaped() throws Exception {
        assumeTrue(Lab.isRoot(), "network namespaces need root");
        Shell shell = new Shell(20);
        String net = PLAN.subnetPrefix();
        assumeTrue(NetnsLab.subnetInUse(shell.run(List.of("ip", "-4", "-o", "addr", "show")).output()
                + shell.run(List.of("ip", "-4", "route", "show")).output(), net) == null, net + "0.0/16 is in use here");
        NetnsLab lab = new NetnsLab(PLAN, shell);
        lab.create();
        try {
            assertThat(lab.existingNamespaces()).containsExactlyInAnyOrderElementsOf(PLAN.namespaces());
            for (AddressPlan.LabHost from : PLAN.hosts()) {
                for (AddressPlan.LabHost to : PLAN.hosts()) {
                    if (from != to) assertThat(reaches(lab, shell, from, to)).as(from.name() + " -> " + to.name()).isTrue();
                }
            }
            lab.shape("100mbit");
            for (AddressPlan.VethPair l : PLAN.migrationLinks()) {
                assertThat(shell.check(List.of("tc", "-n", l.netns(), "qdisc", "show", "dev", l.name())).output()).contains("tbf", "100Mbit");
                assertThat(shell.check(List.of("tc", "-n", l.peerNetns(), "qdisc", "show", "dev", l.peer())).output()).contains("tbf");
            }
        } finally {
            lab.destroy();
        }
        assertThat(lab.existingNamespaces()).isEmpty();
        assertThat(shell.run(List.of("ip", "-o", "link", "show")).output()).doesNotContain("fn" + TAG + "-");
    }

    /** A TCP connection from {@code from}'s namespace to a one-shot listener on {@code to}'s migration address. */
    private static boolean reaches(NetnsLab lab, Shell shell, AddressPlan.LabHost from, AddressPlan.LabHost to) throws Exception {
        String listen = "import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);"
                + "s.bind(('" + to.migrationIp() + "',5399));s.listen(1);print('up',flush=True);s.settimeout(10);s.accept()";
        Process server = new ProcessBuilder(lab.onHost(to, List.of("python3", "-c", listen))).redirectErrorStream(true).start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream())).readLine();
            if (!"up".equals(first)) throw new IllegalStateException("listener on " + to.name() + " did not start: " + first);
            String connect = "import socket;socket.create_connection(('" + to.migrationIp() + "',5399),timeout=5).close()";
            return shell.run(lab.onHost(from, List.of("python3", "-c", connect))).ok();
        } finally {
            server.destroyForcibly().waitFor();
        }
    }
}
