package dev.ferry.api.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a VM spec from YAML or JSON text and turns every parse problem into an
 * {@link ErrorCode#INVALID_SPEC} error that names the field and line, never a Jackson stack trace.
 */
public final class SpecReader {
    private static final int MAX_SPEC_BYTES = 1 << 20;

    private SpecReader() {}

    public static VmSpec read(Path file) {
        try {
            if (Files.size(file) > MAX_SPEC_BYTES) {
                throw new FerryException(ErrorCode.INVALID_SPEC, file + " is larger than 1 MiB");
            }
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Parses YAML (a superset of JSON, so JSON specs work too). */
    public static VmSpec parse(String text, String source) {
        ObjectMapper yaml = Json.yaml();
        try {
            VmSpec spec = yaml.readValue(text, VmSpec.class);
            if (spec == null) throw new FerryException(ErrorCode.INVALID_SPEC, source + " is empty");
            return spec;
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof FerryException fe) throw fe;
            throw new FerryException(ErrorCode.INVALID_SPEC, source + ": " + describe(e));
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.INVALID_SPEC, source + ": not valid YAML/JSON: " + e.getOriginalMessage());
        }
    }

    private static String describe(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                .orElse("(top)");
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field " + path + "; known fields here: " + u.getKnownPropertyIds();
        }
        String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        String msg = e.getOriginalMessage();
        int cut = msg.indexOf(" (class ");
        if (cut > 0) msg = msg.substring(0, cut);
        return "field " + path + line + ": " + msg;
    }
}
