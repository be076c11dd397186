package dev.ferry.cli.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The lab in network namespaces: each agent (and the QEMUs it starts) runs in its own namespace,
 * the hosts are joined by a migration network that only migration traffic uses (a veth pair for two
 * hosts, a bridge in a namespace of its own for more), and each is joined to the root namespace by
 * another veth pair for its API. That makes a migration a real network transfer (which {@code tc}
 * can shape) without touching any address outside namespaces this lab created. Namespace names are
 * fixed, so a run first removes what a crashed run of any size left behind (the whole family of
 * names, {@link AddressPlan#family()}), but refuses to touch a lab whose agents still run
 * (a {@code --keep} lab).
 */
public final class NetnsLab implements Lab {
    /** An earlier demo's lab is alive; it is the user's to stop, never ours to remove. */
    static final class LiveLabException extends LabException {
        LiveLabException(String message) { super(message); }
    }

    /** Every address of the demo's netns plan is in 10.213.0.0/16; the host must not use it already. */
    static final String SUBNET = "10.213.";

    private final AddressPlan plan;
    private final Shell shell;
    private final Consumer<String> say;

    public NetnsLab(AddressPlan plan, Shell shell) {
        this(plan, shell, s -> {});
    }

    public NetnsLab(AddressPlan plan, Shell shell, Consumer<String> say) {
        this.plan = plan;
        this.shell = shell;
        this.say = say;
    }

    @Override
    public AddressPlan plan() { return plan; }

    @Override
    public void create() {
        List<String> existing = existingNamespaces();
        if (!existing.isEmpty()) {
            for (long pid : pidsIn(existing)) {
                if (ProcessTools.commandLine(pid).contains(" agent --config ")) {
                    throw new LiveLabException("a demo lab is still running (a Ferry agent, pid " + pid + ", lives in "
                            + String.join("/", existing) + "); stop it first with: ./ferry demo --stop");
                }
            }
            say.accept("removing the remains of an earlier demo (namespaces " + String.join(", ", existing) + ")");
        }
        destroy();
        String subnet = plan.hosts().isEmpty() ? SUBNET : plan.subnetPrefix();
        String used = subnetInUse(shell.run(List.of("ip", "-4", "-o", "addr", "show")).output()
                + shell.run(List.of("ip", "-4", "route", "show")).output(), subnet);
        if (used != null) throw new LabException(subnet + "0.0/16 is already in use on this host (" + used + ")");
        try {
            for (List<String> cmd : NetnsCommands.setUp(plan)) shell.check(cmd);
        } catch (LabException e) {
            destroy();
            throw e;
        }
    }

    @Override
    public List<String> onHost(AddressPlan.LabHost host, List<String> cmd) {
        return NetnsCommands.exec(host.netns(), cmd);
    }

    @Override
    public void shape(String rate) {
        for (List<String> cmd : NetnsCommands.shape(plan, rate)) shell.check(cmd);
    }

    @Override
    public void destroy() {
        List<String> existing = existingNamespaces();
        ProcessTools.killAll(pidsIn(existing));
        for (List<String> cmd : NetnsCommands.tearDown(plan.family())) shell.run(cmd);
        List<String> left = existingNamespaces();
        if (!left.isEmpty()) throw new LabException("could not delete the namespaces " + left + "; remove them with 'ip netns del'");
    }

    /** The first line of {@code ip addr}/{@code ip route} output that uses the lab's subnet, or null. */
    static String subnetInUse(String ipOutput) { return subnetInUse(ipOutput, SUBNET); }

    /** The same for the subnet whose addresses start with {@code subnet} ("10.213."). */
    static String subnetInUse(String ipOutput, String subnet) {
        return ipOutput.lines().filter(l -> l.matches(".*(^|[\\s/])" + subnet.replace(".", "\\.") + ".*")).map(String::strip)
                .findFirst().orElse(null);
    }

    /** The demo labs' namespaces (of a lab of any size) that exist right now. */
    public List<String> existingNamespaces() {
        Shell.Result r = shell.run(List.of("ip", "netns", "list"));
        List<String> names = r.output().lines().map(l -> l.split("\\s+", 2)[0]).toList();
        return plan.family().namespaces().stream().filter(names::contains).toList();
    }

    private List<Long> pidsIn(List<String> namespaces) {
        List<Long> pids = new ArrayList<>();
        for (String ns : namespaces) {
            shell.run(NetnsCommands.pids(ns)).output().lines().map(String::strip).filter(s -> s.matches("\\d+"))
                    .map(Long::parseLong).forEach(pids::add);
        }
        return pids;
    }
}
