package dev.ferry.controller.assess;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.controller.ServerConfig;
import java.time.Duration;

/**
 * How much of a host the assessment may hand out to VMs, resolved from the controller config's
 * optional {@code capacity:} section: memory is overcommitted by {@code memoryOvercommit} (default
 * 1.0: never), vCPUs by {@code cpuOvercommit} (default 4.0), {@code reservedMemoryMiB} (default
 * 512) and {@code reservedVcpus} (default 0) stay with the host, and each VM costs QEMU's
 * overhead {@code vmOverheadMiB} (default 64) on top of its memory. {@code hosts:} overrides any of
 * these for one host. A pool-share proof is trusted for {@code poolProofMaxAgeSeconds} (default 600).
 */
public final class CapacityPolicy {
    public static final double DEFAULT_MEMORY_OVERCOMMIT = 1.0;
    public static final double DEFAULT_CPU_OVERCOMMIT = 4.0;
    public static final long DEFAULT_RESERVED_MEMORY_MIB = 512;
    public static final long DEFAULT_VM_OVERHEAD_MIB = 64;
    public static final int DEFAULT_PROOF_MAX_AGE_SECONDS = 600;

    /** The resolved figures for one host. */
    public record Limits(double memoryOvercommit, double cpuOvercommit, long reservedMemoryMiB, int reservedVcpus, long vmOverheadMiB) {}

    private final ServerConfig.Capacity config;

    private CapacityPolicy(ServerConfig.Capacity config) { this.config = config; }

    public static CapacityPolicy defaults() { return new CapacityPolicy(null); }

    /** The policy of {@code config} (null: defaults); refuses nonsense with INVALID_ARGUMENT naming the key. */
    public static CapacityPolicy of(ServerConfig.Capacity config) {
        CapacityPolicy p = new CapacityPolicy(config);
        if (config != null) {
            validate("capacity", config);
            if (config.hosts() != null) config.hosts().forEach((host, c) -> validate("capacity.hosts." + host, c));
        }
        return p;
    }

    public Limits limitsOf(String host) {
        ServerConfig.Capacity over = config == null || config.hosts() == null ? null : config.hosts().get(host);
        return new Limits(
                pick(over == null ? null : over.memoryOvercommit(), config == null ? null : config.memoryOvercommit(), DEFAULT_MEMORY_OVERCOMMIT),
                pick(over == null ? null : over.cpuOvercommit(), config == null ? null : config.cpuOvercommit(), DEFAULT_CPU_OVERCOMMIT),
                pick(over == null ? null : over.reservedMemoryMiB(), config == null ? null : config.reservedMemoryMiB(),
                        DEFAULT_RESERVED_MEMORY_MIB),
                pick(over == null ? null : over.reservedVcpus(), config == null ? null : config.reservedVcpus(), 0),
                pick(over == null ? null : over.vmOverheadMiB(), config == null ? null : config.vmOverheadMiB(), DEFAULT_VM_OVERHEAD_MIB));
    }

    public Duration poolProofMaxAge() {
        Integer s = config == null ? null : config.poolProofMaxAgeSeconds();
        return Duration.ofSeconds(s == null ? DEFAULT_PROOF_MAX_AGE_SECONDS : s);
    }

    private static <T> T pick(T host, T global, T fallback) { return host != null ? host : global != null ? global : fallback; }

    private static void validate(String where, ServerConfig.Capacity c) {
        if (c == null) return;
        check(c.memoryOvercommit() == null || c.memoryOvercommit() > 0, where + ".memoryOvercommit must be greater than 0");
        check(c.cpuOvercommit() == null || c.cpuOvercommit() > 0, where + ".cpuOvercommit must be greater than 0");
        check(c.reservedMemoryMiB() == null || c.reservedMemoryMiB() >= 0, where + ".reservedMemoryMiB must not be negative");
        check(c.reservedVcpus() == null || c.reservedVcpus() >= 0, where + ".reservedVcpus must not be negative");
        check(c.vmOverheadMiB() == null || c.vmOverheadMiB() >= 0, where + ".vmOverheadMiB must not be negative");
        check(c.poolProofMaxAgeSeconds() == null || c.poolProofMaxAgeSeconds() >= 0, where + ".poolProofMaxAgeSeconds must not be negative");
    }

    private static void check(boolean ok, String why) {
        if (!ok) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "server config: " + why);
    }
}
