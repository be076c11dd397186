package dev.ferry.controller.it;

import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The controller as its own process, for tests that kill it with SIGKILL: loads the server config
 * ({@code args[0]}) the way {@code ferry server --config} does, starts the controller, writes the
 * port it listens on to {@code args[1]} (atomically, so the test never reads half a number), then
 * blocks until its standard input closes. The test holds the other end of that pipe, so a test JVM
 * that dies takes its controllers with it.
 */
public final class ControllerMain {
    private ControllerMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ControllerMain SERVER_CONFIG PORT_FILE");
            System.exit(2);
        }
        FerryController controller = FerryController.start(ServerConfig.load(Path.of(args[0])));
        Path portFile = Path.of(args[1]);
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(controller.port()));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.err.println("ControllerMain: listening on port " + controller.port());
        while (System.in.read() >= 0) {
            // nothing to read: this only waits for the test JVM to close the pipe
        }
        System.err.println("ControllerMain: standard input closed, exiting");
        Runtime.getRuntime().halt(0);
    }
}
