package dev.ferry.controller.plan;

import dev.ferry.api.migration.DirtyRate;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.host.AgentDirectory;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Plan inputs from the live fleet: a guest's dirty rate measured through its agent's dirty-rate
 * endpoint over {@link #DIRTY_WINDOW_MS} (a paused guest dirties nothing; an agent that cannot
 * measure leaves it unknown), and the link goodput from the newest link measurement, read through
 * {@code links} (the link-measurement store of {@code ferry host probe}).
 */
public final class AgentPlanInputs implements PlanInputs {
    static final long DIRTY_WINDOW_MS = 500;

    private final AgentDirectory agents;
    private final BiFunction<String, String, Optional<Long>> links;

    public AgentPlanInputs(AgentDirectory agents, BiFunction<String, String, Optional<Long>> links) {
        this.agents = agents;
        this.links = links;
    }

    @Override
    public Optional<Long> linkBytesPerSec(String from, String to) { return links.apply(from, to); }

    @Override
    public Optional<Long> dirtyBytesPerSec(String host, String vm) {
        try {
            var client = agents.client(host);
            if (client.show(vm).state() != VmState.RUNNING) return Optional.of(0L);
            DirtyRate r = client.dirtyRate(vm, DIRTY_WINDOW_MS);
            return Optional.of(r.bytesPerSec());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
