package dev.ferry.transfer;

/** The peer broke the transfer protocol (bad frame, bad message); the connection is dropped. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) { super(message); }
}
