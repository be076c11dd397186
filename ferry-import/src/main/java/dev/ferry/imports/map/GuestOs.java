package dev.ferry.imports.map;

import java.util.List;
import java.util.Locale;

/**
 * Decides from a source's guest OS identifier whether the guest can be expected to have virtio
 * drivers. Linux distributions of the last fifteen years ship them in the kernel; Windows does not
 * (its drivers are a separate install), and neither do unknown or very old systems. The answer
 * errs towards emulated devices, because a guest without a driver for its boot disk does not boot,
 * while an emulated disk only runs slower. Operators override it with {@code virtio yes|no}.
 */
public final class GuestOs {
    private static final List<String> LINUX = List.of("linux", "ubuntu", "debian", "rhel", "redhat", "centos", "fedora", "suse", "sles",
            "opensuse", "oracle", "almalinux", "rocky", "coreos", "photon", "amazon", "arch", "gentoo", "mandriva", "asianux", "mint");
    private static final List<String> OLD_LINUX = List.of("other24xlinux", "linux 2.4", "linux_2.4", "linux24", "rhel2", "rhel3", "rhel4",
            "sles9", "suse9", "redhat7", "redhat9", "mandrake", "turbolinux", "ubuntu 6", "debian4", "debian 4");

    private GuestOs() {}

    /** True only for an OS type that names a Linux recent enough to have virtio drivers. */
    public static boolean hasVirtio(String osType) {
        if (osType == null) return false;
        String s = osType.toLowerCase(Locale.ROOT);
        if (s.contains("windows") || s.startsWith("win") || s.contains("dos") || s.contains("netware") || s.contains("solaris")) return false;
        if (OLD_LINUX.stream().anyMatch(s::contains)) return false;
        return LINUX.stream().anyMatch(s::contains);
    }
}
