package dev.ferry.agent.testing;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.FerryAgent;
import dev.ferry.api.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FerryAgent} in a JVM of its own, so that a test can kill it with SIGKILL, as a crashing
 * agent dies: no close, no shutdown hook, its threads gone mid-work, its child processes
 * (qemu-img, QEMU) orphaned. Started by {@link TestAgent#handOverToChildJvm()} on the test
 * agent's config; the child prints a ready line once it serves.
 */
public final class ChildAgent {
    private static final String READY = "FERRY-CHILD-AGENT-READY";
    private final Process process;

    private ChildAgent(Process process) { this.process = process; }

    static ChildAgent start(AgentConfig config, Path dir) {
        try {
            Path file = dir.resolve("child-agent.yaml");
            Json.yaml().writeValue(file.toFile(), config);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx256m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", System.getProperty("java.class.path"), ChildAgent.class.getName(), file.toString())
                    .redirectErrorStream(true).start();
            CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> awaitReady(p));
            if (!ready.get(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the child agent ended before it served");
            }
            return new ChildAgent(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the child agent did not start: " + e, e);
        }
    }

    /** Reads the child's output until it is ready (true) or ends (false); later output keeps being drained. */
    private static boolean awaitReady(Process p) {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(READY)) {
                    Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "child-agent-drain");
                    drain.setDaemon(true);
                    drain.start();
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL, and waits (bounded) until the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the child agent survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long pid() { return process.pid(); }

    /** The child JVM's entry point: {@code ChildAgent CONFIG.yaml}. */
    public static void main(String[] args) throws InterruptedException {
        FerryAgent agent = FerryAgent.start(AgentConfig.load(Path.of(args[0])));
        System.out.println(READY + " " + agent.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
