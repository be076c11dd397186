package dev.ferry.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.AgentConfig;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The listener both network probes share, on loopback: the probe's handler gets the one accepted
 * connection, a listener beyond the limit is refused with VM_BUSY until one has served, and an
 * address the host does not have is IO_ERROR naming it.
 */
class ProbeListenerTest {
    private static AgentConfig config(String migrationAddress) {
        return new AgentConfig("host-p", "127.0.0.1:0", "/nonexistent", "/nonexistent", "qemu-system-x86_64", "tcg", null,
                migrationAddress, null, null, null);
    }

    @Test
    void handsTheOneConnectionToTheHandlerAndLimitsOpenListeners() throws Exception {
        ProbeListener listener = new ProbeListener(config("127.0.0.1"), "echo probe", 1, 10_000);
        CountDownLatch served = new CountDownLatch(1);
        ProbeListener.Endpoint at = listener.listen(s -> {
            s.getOutputStream().write(s.getInputStream().read() + 1);
            served.countDown();
        });
        assertThat(at.address()).isEqualTo("127.0.0.1");

        assertThatThrownBy(() -> listener.listen(s -> {})).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VM_BUSY);
            assertThat(e.getMessage()).isEqualTo("too many echo probes are open on host-p");
        });

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(at.address(), at.port()), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(41);
            assertThat(s.getInputStream().read()).isEqualTo(42);
            assertThat(s.getInputStream().read()).as("the listener closes the connection after the handler").isEqualTo(-1);
        }
        assertThat(served.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(listenAgainWithin(listener, 10_000)).as("a listener may open again once the first has served").isNotNull();
    }

    @Test
    void anAddressTheHostLacksIsAnIoError() {
        ProbeListener listener = new ProbeListener(config("203.0.113.7"), "link probe", 4, 1_000);
        assertThatThrownBy(() -> listener.listen(s -> {})).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
            assertThat(e.getMessage()).startsWith("cannot listen for a link probe on 203.0.113.7: ");
        });
    }

    /** The slot is freed by the listener's thread just after the handler returns: retry, bounded. */
    private static ProbeListener.Endpoint listenAgainWithin(ProbeListener listener, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (true) {
            try {
                return listener.listen(s -> {});
            } catch (FerryException e) {
                if (e.code() != ErrorCode.VM_BUSY || System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }
}
