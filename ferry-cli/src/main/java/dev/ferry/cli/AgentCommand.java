package dev.ferry.cli;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.FerryAgent;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry agent}: runs the host agent in the foreground until it is signalled to stop. */
@Command(name = "agent", description = "Run the host agent (owns this host's QEMU processes).")
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "agent.yaml")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        Logging.server();
        FerryAgent agent = FerryAgent.start(AgentConfig.load(config));
        System.out.println("agent " + agent.config().name() + " ready on port " + agent.port());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stop.countDown();
        }, "agent-shutdown"));
        stop.await();
        return 0;
    }
}
