package dev.ferry.qemu.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.qemu.qmp.FakeQmpPeer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the client ends: QEMU going away, protocol violations and explicit close. Commands here use
 * the 30 s default timeout, and the assertions allow far less, so a failure that merely waited for
 * the timeout would fail the test.
 */
class QmpClientFailureTest {
    private static final Duration SHORT = Duration.ofSeconds(5);
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    private final FakeQmpPeer peer = FakeQmpPeer.start();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private QmpClient client;

    @AfterEach
    void tearDown() {
        if (client != null) client.close();
        peer.close();
        threads.shutdownNow();
    }

    @Test
    void droppingTheConnectionMidCommandFailsEveryPendingCallAtOnce() {
        client = QmpClient.connect(peer.socket(), SHORT);
        CompletableFuture<Object> sync = CompletableFuture.supplyAsync(() -> client.execute("migrate"), threads);
        CompletableFuture<?> async = client.executeAsync("query-migrate", null);
        CompletableFuture<QmpEvent> event = client.expectEvent(e -> e.is("MIGRATION"), Duration.ofSeconds(30));
        peer.takeCommand(SHORT);
        peer.takeCommand(SHORT);

        peer.dropConnection();

        await().atMost(PROMPTLY).until(() -> sync.isDone() && async.isDone() && event.isDone());
        String lost = "The connection to QEMU at " + peer.socket() + " was lost: QEMU closed the socket";
        for (CompletableFuture<?> f : List.of(sync, async, event)) {
            assertThat(failureOf(f)).isInstanceOfSatisfying(QmpDisconnectedException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.QMP_DISCONNECTED);
                assertThat(e.socket()).isEqualTo(peer.socket());
            }).hasMessage(lost);
        }
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.execute("query-status"))
                .isInstanceOf(QmpDisconnectedException.class).hasMessage(lost);
    }

    @Test
    void aPeerThatHangsUpInsteadOfAnsweringFailsTheCommand() {
        peer.on("quit", Reply.disconnect());
        client = QmpClient.connect(peer.socket(), SHORT);

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.execute("quit")).isInstanceOf(QmpDisconnectedException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    }

    @Test
    void malformedJsonClosesTheConnectionWithAProtocolError() {
        client = QmpClient.connect(peer.socket(), SHORT);
        CompletableFuture<?> pending = client.executeAsync("query-status", null);
        peer.takeCommand(SHORT);

        peer.sendRaw("{\"return\": tru, \"id\": 2}\r\n");

        await().atMost(PROMPTLY).until(pending::isDone);
        assertThat(failureOf(pending)).isInstanceOfSatisfying(QmpProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.QEMU_FAILED))
                .hasMessageStartingWith("QMP protocol error from QEMU at " + peer.socket() + ": malformed JSON (")
                .hasMessageEndingWith(") in message starting '{\"return\": tru, \"id\": 2}'; the connection was closed");
        assertThat(client.isOpen()).isFalse();
        await().atMost(PROMPTLY).until(() -> !peer.isClientConnected());
        assertThatThrownBy(() -> client.execute("query-status"))
                .isInstanceOf(QmpDisconnectedException.class)
                .hasMessageStartingWith("The connection to QEMU at " + peer.socket()
                        + " was closed after an earlier error: QMP protocol error");
    }

    @Test
    void textThatIsNotAJsonObjectIsAProtocolError() {
        client = QmpClient.connect(peer.socket(), SHORT);
        CompletableFuture<?> pending = client.executeAsync("query-status", null);
        peer.takeCommand(SHORT);

        peer.sendRaw("Segmentation fault\n");

        await().atMost(PROMPTLY).until(pending::isDone);
        assertThat(failureOf(pending)).isInstanceOf(QmpProtocolException.class)
                .hasMessage("QMP protocol error from QEMU at " + peer.socket()
                        + ": expected '{' at the start of a message but got 'S'; the connection was closed");
    }

    @Test
    void aMessageOverTheSizeLimitClosesTheConnectionAndNamesTheLimit() {
        QmpOptions options = QmpOptions.defaults().withMaxMessageBytes(64 * 1024);
        client = QmpClient.connect(peer.socket(), SHORT, options);
        List<QmpEvent> events = new CopyOnWriteArrayList<>();
        client.addEventListener(events::add);
        peer.sendOversize(60 * 1024); // under the limit: fine
        await().atMost(PROMPTLY).until(() -> events.size() == 1);
        CompletableFuture<?> pending = client.executeAsync("query-status", null);
        peer.takeCommand(SHORT);

        peer.sendOversize(200 * 1024);

        await().atMost(PROMPTLY).until(pending::isDone);
        assertThat(failureOf(pending)).isInstanceOf(QmpProtocolException.class)
                .hasMessage("QMP protocol error from QEMU at " + peer.socket() + ": a message exceeded the limit of 65536"
                        + " bytes (QmpOptions.maxMessageBytes); the connection was closed");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void closeFailsWaitingCallsAndEveryLaterCallFailsImmediately() {
        client = QmpClient.connect(peer.socket(), SHORT);
        CompletableFuture<?> pending = client.executeAsync("query-status", null);
        peer.takeCommand(SHORT);

        client.close();
        client.close();

        String closed = "The QMP client for QEMU at " + peer.socket() + " was closed";
        await().atMost(PROMPTLY).until(pending::isDone);
        assertThat(failureOf(pending)).isInstanceOf(QmpDisconnectedException.class).hasMessage(closed);
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.execute("query-status")).isInstanceOf(QmpDisconnectedException.class).hasMessage(closed);
        assertThat(failureOf(client.executeAsync("query-status", null))).isInstanceOf(QmpDisconnectedException.class);
        assertThatThrownBy(() -> client.awaitEvent(e -> true, SHORT)).isInstanceOf(QmpDisconnectedException.class);
        await().atMost(PROMPTLY).until(() -> !peer.isClientConnected());
        assertThat(peer.receivedCommandNames()).containsExactly("qmp_capabilities", "query-status");
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        await().atMost(PROMPTLY).until(future::isDone);
        Throwable t = catchThrowable(future::join);
        assertThat(t).isInstanceOf(CompletionException.class);
        return t.getCause();
    }
}
