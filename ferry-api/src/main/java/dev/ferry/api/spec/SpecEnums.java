package dev.ferry.api.spec;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case, dash-separated enum spellings used in specs, naming the valid choices on error. */
final class SpecEnums {
    private SpecEnums() {}

    static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        if (value == null) return null;
        String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) return e;
        }
        String choices = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        ErrorCode code = "format".equals(field) ? ErrorCode.UNKNOWN_FORMAT : ErrorCode.INVALID_SPEC;
        throw new FerryException(code, field + ": '" + value + "' is not one of " + choices);
    }

    static String json(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT).replace('_', '-'); }
}
