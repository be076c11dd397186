package dev.ferry.api.host;

import java.time.Instant;

/**
 * What {@code ferry host probe A B} measured on the migration network from host {@code from} to
 * host {@code to}: TCP goodput over mutual TLS, round-trip time and packet loss, and when. Stored
 * by the controller, shown by {@code ferry host show}, and used by predictions (the newest one of
 * a pair of hosts is the link's bandwidth for planning).
 */
public record LinkMeasurement(String from, String to, double goodputMiBps, double rttMs, double lossPercent, Instant at) {}
