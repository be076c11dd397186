package dev.ferry.transfer;

/**
 * One message of the transfer protocol: a type byte and a payload. On the wire a frame is
 * {@code u8 type | u32 length (big-endian) | payload}, and {@code length} is at most
 * {@link FrameDecoder#MAX_PAYLOAD}, so a peer can never make the other side allocate more than that.
 */
public record Frame(byte type, byte[] payload) {
    public static final byte HELLO = 1;
    public static final byte STATE = 2;
    public static final byte STATE_END = 3;
    public static final byte CHUNK = 4;
    public static final byte ACK = 5;
    public static final byte FINISH = 6;
    public static final byte RESULT = 7;
    public static final byte ERROR = 8;
    public static final byte PROGRESS = 9;

    public static final int HEADER_BYTES = 5;

    static boolean known(byte type) { return type >= HELLO && type <= PROGRESS; }

    public static String name(byte type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case STATE -> "STATE";
            case STATE_END -> "STATE_END";
            case CHUNK -> "CHUNK";
            case ACK -> "ACK";
            case FINISH -> "FINISH";
            case RESULT -> "RESULT";
            case ERROR -> "ERROR";
            case PROGRESS -> "PROGRESS";
            default -> "type " + (type & 0xff);
        };
    }

    /** Bytes this frame takes on the wire (before TLS). */
    public int wireSize() { return HEADER_BYTES + payload.length; }

    @Override
    public String toString() { return name(type) + "[" + payload.length + " bytes]"; }
}
