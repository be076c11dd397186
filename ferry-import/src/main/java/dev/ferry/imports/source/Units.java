package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DMTF programmatic units ({@code byte * 2^20}, {@code byte * 2^30}) and the named units some
 * products write instead ({@code MegaBytes}, {@code GigaBytes}), as a byte multiplier.
 */
final class Units {
    private static final Pattern POW = Pattern.compile("^byte\\s*\\*\\s*2\\s*\\^\\s*(\\d{1,2})$");

    private Units() {}

    static long bytes(String units) {
        if (units == null || units.isBlank() || units.trim().equalsIgnoreCase("byte")) return 1;
        String u = units.trim();
        Matcher m = POW.matcher(u);
        if (m.matches() && Integer.parseInt(m.group(1)) <= 50) return 1L << Integer.parseInt(m.group(1));
        return switch (u.toLowerCase(java.util.Locale.ROOT)) {
            case "kilobytes", "kb" -> 1L << 10;
            case "megabytes", "mb" -> 1L << 20;
            case "gigabytes", "gb" -> 1L << 30;
            default -> throw new FerryException(ErrorCode.INVALID_SOURCE, "allocation units '" + units + "' are not understood");
        };
    }
}
