package dev.ferry.api.migration;

/**
 * Where the destination listens: a QEMU migration URI such as {@code tcp:10.77.0.2:49152}, and the
 * name the source must check in the destination's certificate when the stream is TLS.
 */
public record IncomingResponse(String uri, String tlsHostname) {}
