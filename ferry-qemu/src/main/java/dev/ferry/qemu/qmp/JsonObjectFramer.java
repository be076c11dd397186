package dev.ferry.qemu.qmp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the QMP byte stream into whole JSON objects. QMP separates messages with newlines, but a
 * socket read may end anywhere (mid-string, mid-escape) or hold several messages, so this tracks
 * object depth outside string literals instead of trusting line ends. It only finds boundaries and
 * enforces the size limit; Jackson validates each message afterwards. UTF-8 needs no special care:
 * bytes of multi-byte characters are all above 0x7F and never look like braces, quotes or escapes.
 */
final class JsonObjectFramer {
    private static final int INITIAL_CAPACITY = 1024;
    private static final int SHRINK_ABOVE = 64 * 1024;

    /** The stream is not a sequence of JSON objects, or one object is too large. */
    static final class FramingException extends Exception {
        FramingException(String message) {
            super(message);
        }
    }

    private final int maxMessageBytes;
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int length;
    private int depth;
    private boolean inString;
    private boolean escaped;

    JsonObjectFramer(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Consumes {@code count} bytes and returns the messages they completed, in order. */
    List<byte[]> feed(byte[] data, int offset, int count) throws FramingException {
        List<byte[]> messages = new ArrayList<>(1);
        for (int i = offset; i < offset + count; i++) {
            byte b = data[i];
            if (depth == 0 && length == 0) {
                if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
                if (b != '{') throw new FramingException("expected '{' at the start of a message but got " + describe(b));
            }
            append(b);
            if (scan(b)) {
                messages.add(Arrays.copyOf(buffer, length));
                length = 0;
                if (buffer.length > SHRINK_ABOVE) buffer = new byte[INITIAL_CAPACITY];
            }
        }
        return messages;
    }

    /** Bytes of an unfinished message held so far. */
    int pendingBytes() {
        return length;
    }

    /** Updates the lexical state for one byte; true when it closed the top-level object. */
    private boolean scan(byte b) {
        if (inString) {
            if (escaped) escaped = false;
            else if (b == '\\') escaped = true;
            else if (b == '"') inString = false;
            return false;
        }
        if (b == '"') inString = true;
        else if (b == '{') depth++;
        else if (b == '}') return --depth == 0;
        return false;
    }

    private void append(byte b) throws FramingException {
        if (length >= maxMessageBytes) {
            throw new FramingException("a message exceeded the limit of " + maxMessageBytes
                    + " bytes (QmpOptions.maxMessageBytes)");
        }
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, maxMessageBytes));
        }
        buffer[length++] = b;
    }

    private static String describe(byte b) {
        int c = b & 0xFF;
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02X", c);
    }
}
