package dev.ferry.agent.host;

/** Ferry's version as packaged in the jar manifest ("dev" when run from classes). */
public final class AgentVersion {
    private AgentVersion() {}

    public static String get() {
        String v = AgentVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
