package dev.ferry.cli.lab;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run another {@code ferry} process (an agent, the controller) from the running one: the same
 * JVM binary and the same jar this code was loaded from, found through its code source, with JVM
 * flags that favour start-up time over peak speed (the lab's services are tiny and start three
 * JVMs on a small machine). When the code does not come from a jar (tests, an IDE) it falls back to
 * the current class path.
 */
public record JavaCommand(String java, List<String> jvmOptions, List<String> launch) {
    public static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
            "-XX:-UsePerfData");

    public JavaCommand {
        jvmOptions = List.copyOf(jvmOptions);
        launch = List.copyOf(launch);
    }

    public static JavaCommand current() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path code = codeSource();
        if (code != null && Files.isRegularFile(code) && code.toString().endsWith(".jar")) {
            return new JavaCommand(java, FAST_START, List.of("-jar", code.toString()));
        }
        return new JavaCommand(java, FAST_START, List.of("-cp", System.getProperty("java.class.path"), "dev.ferry.cli.FerryCli"));
    }

    /** The jar the running code was loaded from (or its classes directory), null if unknown. */
    public static Path codeSource() {
        try {
            var src = JavaCommand.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Path.of(src.getLocation().toURI());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The full command line of {@code ferry ARGS...}. */
    public List<String> ferry(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.addAll(launch);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
