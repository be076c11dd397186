package dev.ferry.qemu.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Message boundaries in a byte stream that reads may cut anywhere, and the size limit. */
class JsonObjectFramerTest {
    private static final String TRICKY = "{\"return\": {\"s\": \"a } { \\\" \\\\\", \"n\": [1, {\"x\": \"}\"}], \"u\": \"żółw ✓\"}, \"id\": 7}";

    @Test
    void splitsSeveralMessagesArrivingInOneRead() throws Exception {
        List<String> out = feed(new JsonObjectFramer(4096), "{\"a\":1}\r\n{\"b\":{\"c\":2}}\n  {\"d\":3}\r\n");
        assertThat(out).containsExactly("{\"a\":1}", "{\"b\":{\"c\":2}}", "{\"d\":3}");
    }

    @Test
    void bracesQuotesAndEscapesInsideStringsDoNotEndAMessage() throws Exception {
        assertThat(feed(new JsonObjectFramer(4096), TRICKY + "\r\n")).containsExactly(TRICKY);
    }

    @Test
    void givesTheSameResultWhenFedOneByteAtATimeOrSplitAnywhere() throws Exception {
        byte[] stream = (TRICKY + "\r\n{\"event\":\"STOP\"}\n").getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= stream.length; split++) {
            JsonObjectFramer framer = new JsonObjectFramer(4096);
            List<String> out = new ArrayList<>();
            collect(out, framer.feed(stream, 0, split));
            collect(out, framer.feed(stream, split, stream.length - split));
            assertThat(out).as("split at %d", split).containsExactly(TRICKY, "{\"event\":\"STOP\"}");
        }
        JsonObjectFramer framer = new JsonObjectFramer(4096);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) collect(out, framer.feed(stream, i, 1));
        assertThat(out).containsExactly(TRICKY, "{\"event\":\"STOP\"}");
        assertThat(framer.pendingBytes()).isZero();
    }

    @Test
    void keepsAnUnfinishedMessageUntilItCompletes() throws Exception {
        JsonObjectFramer framer = new JsonObjectFramer(4096);
        assertThat(feed(framer, "{\"return\": {\"a\": \"x\\")).isEmpty();
        assertThat(framer.pendingBytes()).isPositive();
        assertThat(feed(framer, "\"}}")).isEmpty(); // the escaped quote did not end the string
        assertThat(feed(framer, "\"}}")).containsExactly("{\"return\": {\"a\": \"x\\\"}}\"}}");
    }

    @Test
    void rejectsTextOutsideAnObject() {
        assertThatThrownBy(() -> feed(new JsonObjectFramer(4096), "{\"a\":1}\nhello"))
                .isInstanceOf(JsonObjectFramer.FramingException.class)
                .hasMessage("expected '{' at the start of a message but got 'h'");
    }

    @Test
    void acceptsAMessageOfExactlyTheLimitAndRejectsOneByteMore() throws Exception {
        String exact = "{\"x\":\"" + "a".repeat(1024 - 8) + "\"}";
        assertThat(exact).hasSize(1024);
        assertThat(feed(new JsonObjectFramer(1024), exact)).containsExactly(exact);
        String over = "{\"x\":\"" + "a".repeat(1024 - 7) + "\"}";
        assertThatThrownBy(() -> feed(new JsonObjectFramer(1024), over))
                .isInstanceOf(JsonObjectFramer.FramingException.class)
                .hasMessage("a message exceeded the limit of 1024 bytes (QmpOptions.maxMessageBytes)");
    }

    private static List<String> feed(JsonObjectFramer framer, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        collect(out, framer.feed(bytes, 0, bytes.length));
        return out;
    }

    private static void collect(List<String> out, List<byte[]> messages) {
        messages.forEach(m -> out.add(new String(m, StandardCharsets.UTF_8)));
    }
}
