package dev.ferry.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Ferry's shared Jackson configuration: strict on input (unknown properties are errors, so a typo in
 * a spec is reported instead of ignored), compact on output, ISO-8601 times.
 */
public final class Json {
    private static final ObjectMapper JSON = configure(new ObjectMapper());
    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

    private Json() {}

    public static ObjectMapper mapper() { return JSON; }

    public static ObjectMapper yaml() { return YAML; }

    private static ObjectMapper configure(ObjectMapper m) {
        m.registerModule(new JavaTimeModule());
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        m.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        m.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return m;
    }
}
