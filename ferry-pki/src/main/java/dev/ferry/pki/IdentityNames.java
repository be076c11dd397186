package dev.ferry.pki;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * Validates what goes into a certificate's subject and subject alternative names before anything
 * is signed: identity and cluster names, IP address literals and DNS names. IPs are parsed as
 * literals only (never resolved, so a typo cannot turn into a DNS lookup) and DNS names are checked
 * label by label, because a certificate with a name that TLS clients can never match is worse than
 * an early, precise error naming the bad value.
 */
final class IdentityNames {
    /** Identity (host or client) and cluster names: lowercase, DNS-like, at most 63 characters. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private IdentityNames() {}

    static String requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " '" + name
                    + "': use 1-63 characters of a-z, 0-9, '.' and '-', starting with a letter or digit");
        }
        return name;
    }

    /** Parses IP literals (IPv4 or IPv6, no zone, no mask); duplicates are dropped, order kept. */
    static List<InetAddress> ipAddresses(List<String> ips) {
        Set<InetAddress> result = new LinkedHashSet<>();
        for (String ip : ips == null ? List.<String>of() : ips) {
            String literal = ip == null ? "" : ip;
            if (!IPAddress.isValidIPv4(literal) && !IPAddress.isValidIPv6(literal)) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "invalid IP address '" + ip + "'");
            }
            try {
                result.add(InetAddress.getByName(literal)); // a literal: no lookup happens
            } catch (UnknownHostException e) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "invalid IP address '" + ip + "'", e);
            }
        }
        return new ArrayList<>(result);
    }

    /** Checks DNS names (lowercased, no wildcards, no trailing dot); duplicates are dropped, order kept. */
    static List<String> dnsNames(List<String> names) {
        Set<String> result = new LinkedHashSet<>();
        for (String name : names == null ? List.<String>of() : names) {
            String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
            if (!isDnsName(lower)) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "invalid DNS name '" + name + "'");
            }
            result.add(lower);
        }
        return new ArrayList<>(result);
    }

    private static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > 253) return false;
        for (String label : name.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) return false;
        }
        return true;
    }
}
