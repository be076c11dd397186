package dev.ferry.controller.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A migration plan as the user writes it (YAML, see docs/plans.md): which VMs move where
 * ({@code auto} lets the controller choose), how (plan-wide migration options that each VM may
 * override), in which order (waves and {@code dependsOn}), how many at a time, within which
 * maintenance window, and what happens when a move fails. It is only the parsed text;
 * {@link PlanDocuments} checks it and turns it into a {@link PlanDefinition}.
 */
public record PlanDocument(String name, String mode, Integer maxDowntimeMs, Integer bandwidthMiBps, Boolean allowThrottle,
                           Boolean allowPostcopy, Boolean backup, Boolean insecure, Limits limits, Window window, String onFailure,
                           List<Wave> waves, List<Vm> vms) {

    /** How many migrations may run at once per source host, destination host, link (unordered host pair) and cluster. */
    public record Limits(@JsonProperty("perSource") Integer perSource, @JsonProperty("perDestination") Integer perDestination,
                         @JsonProperty("perLink") Integer perLink, @JsonProperty("perCluster") Integer perCluster) {}

    /** The maintenance window: no migration is started whose predicted end falls outside it. */
    public record Window(@JsonProperty("start") Instant start, @JsonProperty("end") Instant end) {}

    /** One ordered group: its VMs start only after every VM of the earlier waves has ended. */
    public record Wave(@JsonProperty("name") String name, @JsonProperty("vms") List<Vm> vms) {}

    /** One VM to move, with its own overrides of the plan's migration options. */
    public record Vm(@JsonProperty("vm") String vm, @JsonProperty("to") String to, @JsonProperty("wave") Integer wave,
                     @JsonProperty("dependsOn") List<String> dependsOn, @JsonProperty("mode") String mode,
                     @JsonProperty("maxDowntimeMs") Integer maxDowntimeMs, @JsonProperty("bandwidthMiBps") Integer bandwidthMiBps,
                     @JsonProperty("allowThrottle") Boolean allowThrottle, @JsonProperty("allowPostcopy") Boolean allowPostcopy,
                     @JsonProperty("backup") Boolean backup) {
        public Vm {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        }
    }

    public PlanDocument(@JsonProperty("name") String name, @JsonProperty("mode") String mode,
                        @JsonProperty("maxDowntimeMs") Integer maxDowntimeMs, @JsonProperty("bandwidthMiBps") Integer bandwidthMiBps,
                        @JsonProperty("allowThrottle") Boolean allowThrottle, @JsonProperty("allowPostcopy") Boolean allowPostcopy,
                        @JsonProperty("backup") Boolean backup, @JsonProperty("insecure") Boolean insecure,
                        @JsonProperty("limits") Limits limits, @JsonProperty("window") Window window,
                        @JsonProperty("onFailure") String onFailure, @JsonProperty("waves") List<Wave> waves,
                        @JsonProperty("vms") List<Vm> vms) {
        this.name = name;
        this.mode = mode;
        this.maxDowntimeMs = maxDowntimeMs;
        this.bandwidthMiBps = bandwidthMiBps;
        this.allowThrottle = allowThrottle;
        this.allowPostcopy = allowPostcopy;
        this.backup = backup;
        this.insecure = insecure;
        this.limits = limits;
        this.window = window;
        this.onFailure = onFailure;
        this.waves = waves == null ? List.of() : List.copyOf(waves);
        this.vms = vms == null ? List.of() : List.copyOf(vms);
    }
}
