package dev.ferry.qemu.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.qemu.qmp.FakeQmpPeer.Command;
import dev.ferry.qemu.qmp.FakeQmpPeer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting, running commands and matching replies, against {@link FakeQmpPeer}. */
class QmpClientTest {
    private static final Duration SHORT = Duration.ofSeconds(5);

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
    void connectReadsTheGreetingAndNegotiatesCapabilities() {
        peer.withVersion(9, 2, 1);
        client = QmpClient.connect(peer.socket(), SHORT);

        assertThat(client.isOpen()).isTrue();
        assertThat(client.version()).isEqualTo(new QemuVersion(9, 2, 1));
        assertThat(client.greeting().path("capabilities").get(0).asText()).isEqualTo("oob");
        assertThat(peer.receivedCommandNames()).containsExactly("qmp_capabilities");
        Command capabilities = peer.receivedCommands().get(0);
        assertThat(capabilities.id().isIntegralNumber()).isTrue();
        assertThat(capabilities.raw().has("arguments")).isFalse();
    }

    @Test
    void connectWaitsForASocketThatAppearsLater(@TempDir Path dir) {
        Path socket = dir.resolve("late.sock");
        CompletableFuture<QmpClient> connecting =
                CompletableFuture.supplyAsync(() -> QmpClient.connect(socket, SHORT), threads);
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertThat(connecting).isNotDone();
        try (FakeQmpPeer late = FakeQmpPeer.start(socket)) {
            client = connecting.join();
            assertThat(client.execute("qmp_capabilities").isObject()).isTrue();
        }
    }

    @Test
    void connectGivesUpWithAClearMessageWhenNothingListens(@TempDir Path dir) {
        Path socket = dir.resolve("nobody.sock");
        assertThatThrownBy(() -> QmpClient.connect(socket, Duration.ofMillis(300)))
                .isInstanceOfSatisfying(QmpTimeoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QMP_TIMEOUT))
                .hasMessageStartingWith("QEMU's QMP socket " + socket + " did not accept a connection within 300ms (");
    }

    @Test
    void connectFailsWhenThePeerSendsSomethingOtherThanAGreeting() {
        peer.withRawGreeting("{\"hello\": 1}\r\n");
        assertThatThrownBy(() -> QmpClient.connect(peer.socket(), SHORT))
                .isInstanceOf(QmpProtocolException.class)
                .hasMessage("QMP protocol error from QEMU at " + peer.socket()
                        + ": expected the QMP greeting but got a message with fields [hello]; the connection was closed");
    }

    @Test
    void connectFailsWhenNoGreetingArrives() {
        peer.withRawGreeting("");
        QmpOptions options = QmpOptions.defaults().withDefaultCommandTimeout(Duration.ofMillis(300));
        assertThatThrownBy(() -> QmpClient.connect(peer.socket(), SHORT, options))
                .isInstanceOf(QmpTimeoutException.class)
                .hasMessage("QEMU at " + peer.socket() + " accepted the connection but sent no QMP greeting within 300ms"
                        + " (is another client connected to this socket?)");
    }

    @Test
    void executeSendsArgumentsOfAnyShapeAndReturnsTheReturnValue() {
        peer.on("query-status", Reply.ok("{\"status\": \"running\", \"running\": true, \"new-field\": 1}"));
        peer.on("set-thing", Reply.ok("{}"));
        client = QmpClient.connect(peer.socket(), SHORT);

        JsonNode status = client.execute("query-status");
        assertThat(status.path("status").asText()).isEqualTo("running");

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        client.execute("set-thing", map);
        client.execute("set-thing", new Thing("x", null, 3));
        client.execute("set-thing", JsonNodeFactory.instance.objectNode().put("z", true));
        client.execute("set-thing", null);

        List<Command> sent = peer.receivedCommands().subList(2, 6);
        assertThat(sent.get(0).arguments().toString()).isEqualTo("{\"a\":1}");
        assertThat(sent.get(1).arguments().toString()).isEqualTo("{\"name\":\"x\",\"size\":3}");
        assertThat(sent.get(2).arguments().toString()).isEqualTo("{\"z\":true}");
        assertThat(sent.get(3).raw().has("arguments")).isFalse();
        assertThatThrownBy(() -> client.execute("set-thing", List.of(1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("arguments of 'set-thing' must be a JSON object, not ARRAY");
    }

    record Thing(String name, String optional, int size) {}

    @Test
    void repliesToConcurrentCommandsAnsweredOutOfOrderReachTheirOwnCallers() {
        client = QmpClient.connect(peer.socket(), SHORT);
        String big = "b".repeat(50_000); // large writes would interleave if sends were not serialized
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            calls.add(CompletableFuture.supplyAsync(() -> client.execute("cmd-" + n, Map.of("pad", big)), threads));
        }
        List<Command> received = new ArrayList<>();
        for (int i = 0; i < 8; i++) received.add(peer.takeCommand(SHORT));
        assertThat(new HashSet<>(received.stream().map(c -> c.id().asLong()).toList())).hasSize(8);
        assertThat(received).allSatisfy(c -> assertThat(c.arguments().path("pad").asText()).isEqualTo(big));

        for (int i = received.size() - 1; i >= 0; i--) {
            peer.reply(received.get(i), "\"" + received.get(i).name() + "\"");
        }
        for (int i = 0; i < 8; i++) {
            assertThat(calls.get(i).join().asText()).isEqualTo("cmd-" + i);
        }
    }

    @Test
    void aReplyFedOneByteAtATimeIsReassembled() {
        peer.on("query-status", Reply.ok("{\"status\": \"paused\", \"text\": \"{\\\"}\"}").bytewise());
        client = QmpClient.connect(peer.socket(), SHORT);

        JsonNode status = client.execute("query-status");

        assertThat(status.path("status").asText()).isEqualTo("paused");
        assertThat(status.path("text").asText()).isEqualTo("{\"}");
    }

    @Test
    void anErrorReplyBecomesACommandExceptionWithQemusClassAndDescription() {
        peer.on("migrate", Reply.error("GenericError", "There's a migration process in progress"));
        client = QmpClient.connect(peer.socket(), SHORT);

        Throwable thrown = catchThrowable(() -> client.execute("migrate", Map.of("uri", "tcp:1.2.3.4:4444")));

        assertThat(thrown).isInstanceOfSatisfying(QmpCommandException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.QMP_ERROR);
            assertThat(e.command()).isEqualTo("migrate");
            assertThat(e.errorClass()).isEqualTo("GenericError");
            assertThat(e.description()).isEqualTo("There's a migration process in progress");
        }).hasMessage("QEMU rejected 'migrate': GenericError: There's a migration process in progress");
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aCommandWithoutReplyTimesOutAndALateReplyIsIgnored() {
        peer.on("query-status", Reply.ok("{\"status\": \"running\"}"));
        client = QmpClient.connect(peer.socket(), SHORT);

        assertThatThrownBy(() -> client.execute("query-migrate", null, Duration.ofMillis(200)))
                .isInstanceOfSatisfying(QmpTimeoutException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.QMP_TIMEOUT);
                    assertThat(e.command()).isEqualTo("query-migrate");
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(200));
                })
                .hasMessage("QEMU did not answer 'query-migrate' within 200ms");

        peer.reply(peer.takeCommand(SHORT), "{\"status\": \"late\"}");
        assertThat(client.execute("query-status").path("status").asText()).isEqualTo("running");
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void asyncCommandsCompleteOffTheReaderThreadSoDependentStagesMayBlock() {
        peer.on("a", Reply.ok("1"));
        peer.on("b", Reply.ok("2"));
        client = QmpClient.connect(peer.socket(), SHORT);

        CompletableFuture<Integer> chained = client.executeAsync("a", null)
                .thenApply(a -> a.asInt() + client.execute("b").asInt());

        await().atMost(SHORT).until(chained::isDone);
        assertThat(chained.join()).isEqualTo(3);
    }
}
