package dev.ferry.controller.safety;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.safety.Check;
import dev.ferry.controller.migration.MigrationContext;
import java.util.List;

/** The last check of a test migration: neither host still knows the clone, and no teardown step failed. */
final class TestTeardown {
    private TestTeardown() {}

    static Check check(MigrationContext ctx, List<String> problems) {
        String src = knows(ctx.source(), ctx.vm());
        String dst = knows(ctx.destination(), ctx.vm());
        boolean ok = problems.isEmpty() && src == null && dst == null;
        String detail = "clone '" + ctx.vm() + "': " + (src == null ? "gone from " + ctx.sourceHost() : "still on " + ctx.sourceHost() + " (" + src + ")")
                + ", " + (dst == null ? "gone from " + ctx.destinationHost() : "still on " + ctx.destinationHost() + " (" + dst + ")")
                + (problems.isEmpty() ? "" : "; teardown problems: " + problems);
        return new Check("torn-down", ok, detail);
    }

    /** Null when the agent does not know the VM, else what it says about it. */
    private static String knows(AgentClient agent, String vm) {
        try {
            return agent.show(vm).state().json();
        } catch (FerryException e) {
            return e.code() == ErrorCode.VM_NOT_FOUND ? null : "cannot tell: " + e.getMessage();
        }
    }
}
