package dev.ferry.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Ferry's shared Jackson configuration: strict on input (unknown properties are errors, so a typo in
 * a spec is reported instead of ignored), compact on output, ISO-8601 times. Answers from another
 * Ferry process are the one exception ({@link #responses()}): a newer agent may add a field a
 * controller does not know yet, and a rolling upgrade must not break on it.
 */
public final class Json {
    private static final ObjectMapper JSON = configure(new ObjectMapper());
    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));
    private static final ObjectMapper RESPONSES = configure(new ObjectMapper())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

    public static ObjectMapper mapper() { return JSON; }

    public static ObjectMapper yaml() { return YAML; }

    /** For reading what a Ferry API answered: fields this version does not know are skipped, not errors. */
    public static ObjectMapper responses() { return RESPONSES; }

    private static ObjectMapper configure(ObjectMapper m) {
        m.registerModule(new JavaTimeModule());
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        m.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        m.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return m;
    }
}
