package dev.ferry.cli.lab;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ferry demo --stop}: takes down a lab that {@code --keep} left running (or that a killed
 * demo could not clean up), from the record in its {@code lab.json}: the same {@link Teardown} a
 * normal run ends with. Without {@code --dir} it uses the last lab's directory; with no record at
 * all it still removes the demo's namespaces and anything running in them, as root.
 */
public final class DemoStop {
    private DemoStop() {}

    public static int stop(Path dir, PrintStream out) {
        Path d = dir != null ? dir.toAbsolutePath().normalize() : LabState.lastDir();
        Shell shell = new Shell(30);
        if (d == null || !java.nio.file.Files.exists(new LabLayout(d).stateFile())) {
            return removeOrphans(d, shell, out);
        }
        LabState state = LabState.load(d);
        Lab lab = AddressPlan.NETNS.equals(state.mode()) ? new NetnsLab(AddressPlan.netns(), shell) : new LoopbackLab();
        List<String> problems = new Teardown(new LabLayout(d), lab).run(state, false);
        if (problems != null && !problems.isEmpty()) {
            out.println("stopped the demo lab in " + d + ", but: " + String.join("; ", problems));
            return 1;
        }
        out.println("stopped the demo lab in " + d + " (VM, agents, controller" + (lab.plan().isNetns() ? ", namespaces" : "")
                + ") and removed the directory");
        return 0;
    }

    private static int removeOrphans(Path d, Shell shell, PrintStream out) {
        if (!Lab.isRoot()) {
            out.println(d == null ? "no demo lab found to stop (pass --dir DIR)" : "no demo lab in " + d + " (no lab.json)");
            return 1;
        }
        NetnsLab netns = new NetnsLab(AddressPlan.netns(), shell);
        List<String> existing = netns.existingNamespaces();
        netns.destroy();
        if (existing.isEmpty()) {
            out.println(d == null ? "no demo lab is running" : "no demo lab in " + d + " (no lab.json), and no demo namespaces");
        } else {
            out.println("removed the demo namespaces " + existing + " and everything running in them");
        }
        return 0;
    }
}
