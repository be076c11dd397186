package dev.ferry.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.ferry.api.migration.DirtyRate;
import org.junit.jupiter.api.Test;

class JsonTest {
    /** What a newer agent might answer: a field this version has never heard of. */
    private static final String NEWER = "{\"bytesPerSec\":1048576,\"calcTimeMs\":500,\"samplePages\":4096,"
            + "\"memoryBytes\":268435456,\"fieldFromTheFuture\":42}";

    @Test
    void inputIsStrictSoATypoInASpecIsReported() {
        assertThatThrownBy(() -> Json.mapper().readValue(NEWER, DirtyRate.class))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("fieldFromTheFuture");
    }

    @Test
    void answersFromANewerFerryAreReadWithTheFieldsThisVersionKnows() throws Exception {
        DirtyRate r = Json.responses().readValue(NEWER, DirtyRate.class);
        assertThat(r.bytesPerSec()).isEqualTo(1048576);
        assertThat(r.memoryBytes()).isEqualTo(268435456);
        assertThat(r.residentBytes()).isNull();
    }
}
