package dev.ferry.cli.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The network the demo's hosts (two to five) live on. A real multi-host setup needs several
 * machines; the lab fakes it on one: {@link NetnsLab} gives each agent its own network namespace with a private migration
 * link (as root), {@link LoopbackLab} just runs both on 127.0.0.1 (when namespaces are not
 * available). The rest of the demo only sees the {@link AddressPlan} and this interface, so it runs
 * the same way on either.
 */
public interface Lab {
    AddressPlan plan();

    /** Builds the network; throws {@link LabException} after undoing what it built. */
    void create();

    /** The command line that runs {@code cmd} on {@code host} (inside its namespace, if it has one). */
    List<String> onHost(AddressPlan.LabHost host, List<String> cmd);

    /** Limits every host's migration link to {@code rate}; only possible with namespaces. */
    void shape(String rate);

    /** Removes everything {@link #create} made, including processes left inside it; safe to repeat. */
    void destroy();

    /**
     * Builds the netns lab when running as root and namespaces work, else the loopback lab, and says
     * which in one line. {@code current} learns of a lab before it is built, so a clean-up racing with
     * the build knows what to remove. A live lab of an earlier demo is never touched: that is refused.
     */
    static Lab open(boolean loopbackOnly, Shell shell, Consumer<String> say, Consumer<Lab> current) {
        return open(2, loopbackOnly, shell, say, current);
    }

    /** {@link #open(boolean, Shell, Consumer, Consumer)} for {@code hosts} hosts. */
    static Lab open(int hosts, boolean loopbackOnly, Shell shell, Consumer<String> say, Consumer<Lab> current) {
        String why = loopbackOnly ? "--loopback given" : !isRoot() ? "not running as root" : null;
        if (why == null) {
            NetnsLab netns = new NetnsLab(AddressPlan.netns(hosts), shell, say);
            current.accept(netns);
            try {
                netns.create();
                say.accept("network: " + netns.plan().describe());
                return netns;
            } catch (NetnsLab.LiveLabException e) {
                current.accept(null);
                throw e;
            } catch (LabException e) {
                why = "network namespaces unavailable: " + e.getMessage();
            }
        }
        LoopbackLab lo = new LoopbackLab(hosts);
        current.accept(lo);
        say.accept("network: " + (hosts == 2 ? "both" : "all " + hosts) + " agents on 127.0.0.1, different ports (" + why + ")");
        return lo;
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
