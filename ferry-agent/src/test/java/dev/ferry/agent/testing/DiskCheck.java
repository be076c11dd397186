package dev.ferry.agent.testing;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.StopRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a disk the test guest's disk worker wrote: boots a verify-only guest ({@code ferry.diskro=1})
 * on it and returns the worker's {@code DISK-VERIFY} counts. A disk that lost or tore records shows
 * {@code missing>0} or {@code bad>0}; {@code max_seq} is the last record found, which must equal the
 * writing guest's {@code DISK-STOP seq} after a clean shutdown. Also stops a guest cleanly and
 * reads its {@code DISK-STOP} line, and reads the {@code key=value} fields of console lines.
 */
public final class DiskCheck {
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(-?\\d+)");

    private DiskCheck() {}

    /**
     * Defines VM {@code checkName} on {@code agent} with {@code disk} as its only disk (as {@code vda}),
     * boots it verify-only, waits for {@code DISK-VERIFY}, then kills and undefines it.
     */
    public static Map<String, Long> verify(TestAgent agent, String checkName, DiskSpec disk) {
        AgentClient c = agent.client();
        String cmdline = TestGuest.BASE_CMDLINE + " ferry.disk=vda ferry.diskro=1";
        VmSpec spec = new VmSpec(checkName, null, 1, 128, null, "q35", null,
                new BootSpec(TestGuest.kernel().toString(), TestGuest.initrd().toString(), cmdline, null),
                List.of(new DiskSpec(TestGuest.DATA_DISK_ID, disk.path(), disk.format(), disk.bus(), disk.cache())), List.of(), null);
        c.define(spec);
        try {
            c.start(checkName);
            String line = agent.serialLog(checkName).awaitLine("^DISK-VERIFY ", Duration.ofSeconds(90));
            return fields(line);
        } finally {
            try {
                c.kill(checkName);
            } catch (RuntimeException ignored) {
                // not running
            }
            c.delete(checkName);
        }
    }

    /** Presses the power button and returns the {@code DISK-STOP seq} the disk worker printed on the way down. */
    public static long stopAndLastSeq(TestAgent agent, String name) {
        agent.client().stop(name, new StopRequest(30, false));
        return fields(agent.serialLog(name).awaitLine("^DISK-STOP ", Duration.ofSeconds(10))).get("seq");
    }

    /** The numeric {@code key=value} fields of a console line. */
    public static Map<String, Long> fields(String line) {
        Map<String, Long> out = new HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) out.put(m.group(1), Long.parseLong(m.group(2)));
        return out;
    }
}
