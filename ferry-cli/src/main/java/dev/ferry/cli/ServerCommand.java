package dev.ferry.cli;

import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry server}: runs the controller in the foreground until it is signalled to stop. */
@Command(name = "server", description = "Run the controller (inventory, migration jobs, REST API).")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "server.yaml")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        Logging.server();
        FerryController controller = FerryController.start(ServerConfig.load(config));
        System.out.println("controller ready on port " + controller.port());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            controller.close();
            stop.countDown();
        }, "server-shutdown"));
        stop.await();
        return 0;
    }
}
