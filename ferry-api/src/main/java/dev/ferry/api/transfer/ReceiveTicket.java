package dev.ferry.api.transfer;

/**
 * Where and how the sending agent connects: a mutual-TLS socket at {@code address:port} that
 * accepts this transfer only with {@code token}. {@code path} is where the image will be.
 */
public record ReceiveTicket(String transferId, String address, int port, String token, String path) {}
