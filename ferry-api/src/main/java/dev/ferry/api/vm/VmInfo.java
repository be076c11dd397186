package dev.ferry.api.vm;

import dev.ferry.api.spec.VmSpec;

/**
 * What an agent reports about one VM: its definition and its live state on this host.
 *
 * @param qemuStatus QEMU's own status word ({@code query-status}), null when no process runs
 * @param pid        QEMU's pid, null when no process runs
 */
public record VmInfo(String name, String host, VmState state, String qemuStatus, Long pid, VmSpec spec) {}
