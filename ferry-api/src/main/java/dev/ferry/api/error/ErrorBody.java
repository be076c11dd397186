package dev.ferry.api.error;

/** The JSON body of every error answer of the agent and controller APIs. */
public record ErrorBody(String code, String message, boolean retriable) {}
