package dev.ferry.qemu.qmp;

import static dev.ferry.qemu.qmp.FakeQmpPeer.eventText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.qemu.qmp.FakeQmpPeer.Command;
import dev.ferry.qemu.qmp.FakeQmpPeer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Event delivery: order, isolation from replies, failing listeners and waiting for events. */
class QmpClientEventsTest {
    private static final Duration SHORT = Duration.ofSeconds(5);

    private final FakeQmpPeer peer = FakeQmpPeer.start();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private QmpClient client;

    @AfterEach
    void tearDown() {
        if (client != null) client.close();
        peer.close();
    }

    @Test
    void eventsInterleavedWithSplitRepliesArriveInOrderAndRepliesStillMatch() {
        client = QmpClient.connect(peer.socket(), SHORT);
        client.addEventListener(e -> seen.add(e.name() + e.data().path("n").asText("")));
        CompletableFuture<String> a = client.executeAsync("a", null).thenApply(n -> n.asText());
        Command ca = peer.takeCommand(SHORT);
        CompletableFuture<String> b = client.executeAsync("b", null).thenApply(n -> n.asText());
        Command cb = peer.takeCommand(SHORT);

        // 3-byte writes: fragments of events and replies share writes and reads.
        peer.sendChunked(3, eventText("JOB_STATUS_CHANGE", "{\"n\": 1}"), peer.replyText(cb, "\"B\""),
                eventText("BLOCK_JOB_READY", "{\"n\": 2}"), peer.replyText(ca, "\"A\""), eventText("MIGRATION_PASS", null));

        assertThat(a.join()).isEqualTo("A");
        assertThat(b.join()).isEqualTo("B");
        await().atMost(SHORT).until(() -> seen.size() == 3);
        assertThat(seen).containsExactly("JOB_STATUS_CHANGE1", "BLOCK_JOB_READY2", "MIGRATION_PASS");
    }

    @Test
    void eventsBeforeAByteWiseReplyAreDelivered() {
        peer.on("stop", Reply.ok("{}").eventsBefore("STOP").bytewise());
        client = QmpClient.connect(peer.socket(), SHORT);
        CompletableFuture<QmpEvent> stopped = client.expectEvent(e -> e.is("STOP"), SHORT);

        client.execute("stop");

        await().atMost(SHORT).until(stopped::isDone);
        assertThat(stopped.join().timestamp()).isNotNull();
    }

    @Test
    void aListenerThatThrowsDoesNotStopOtherListenersOrLaterEvents() {
        client = QmpClient.connect(peer.socket(), SHORT);
        client.addEventListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        client.addEventListener(e -> seen.add(e.name()));

        peer.sendEvent("STOP", null);
        peer.sendEvent("RESUME", null);

        await().atMost(SHORT).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("STOP", "RESUME");
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aSlowListenerDoesNotHoldUpReplies() throws Exception {
        peer.on("query-status", Reply.ok("{\"status\": \"running\"}"));
        client = QmpClient.connect(peer.socket(), SHORT);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        client.addEventListener(e -> {
            entered.countDown();
            awaitQuietly(release);
        });
        try {
            peer.sendEvent("SHUTDOWN", "{\"guest\": true}");
            assertThat(entered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThat(client.execute("query-status").path("status").asText()).isEqualTo("running");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aListenerMayRunCommandsItself() {
        peer.on("block-job-complete", Reply.ok("{}"));
        client = QmpClient.connect(peer.socket(), SHORT);
        client.addEventListener(e -> {
            if (e.is("BLOCK_JOB_READY")) seen.add(client.execute("block-job-complete").toString());
        });

        peer.sendEvent("BLOCK_JOB_READY", "{\"device\": \"drive0\"}");

        await().atMost(SHORT).until(() -> seen.size() == 1);
        assertThat(peer.receivedCommandNames()).contains("block-job-complete");
    }

    @Test
    void closingASubscriptionRemovesTheListener() {
        client = QmpClient.connect(peer.socket(), SHORT);
        Subscription sub = client.addEventListener(e -> seen.add(e.name()));
        peer.sendEvent("STOP", null);
        await().atMost(SHORT).until(() -> seen.size() == 1);

        sub.close();
        sub.close();
        CompletableFuture<QmpEvent> resumed = client.expectEvent(e -> e.is("RESUME"), SHORT);
        peer.sendEvent("RESUME", null);
        await().atMost(SHORT).until(resumed::isDone); // waits see an event after all listeners did

        assertThat(seen).containsExactly("STOP");
    }

    @Test
    void awaitEventReturnsTheFirstMatchingEventAndTimesOutOtherwise() {
        client = QmpClient.connect(peer.socket(), SHORT);
        CompletableFuture<QmpEvent> waiting = CompletableFuture.supplyAsync(() ->
                client.awaitEvent(e -> e.is("MIGRATION") && e.data().path("status").asText().equals("completed"), SHORT));
        // Only events after the call count, and the call starts on another thread: keep sending until it sees one.
        await().atMost(SHORT).until(() -> {
            peer.sendEvent("MIGRATION", "{\"status\": \"active\"}");
            peer.sendEvent("MIGRATION", "{\"status\": \"completed\"}");
            return waiting.isDone();
        });
        await().atMost(SHORT).until(waiting::isDone);
        assertThat(waiting.join().data().path("status").asText()).isEqualTo("completed");

        assertThatThrownBy(() -> client.awaitEvent(e -> e.is("NEVER"), Duration.ofMillis(200)))
                .isInstanceOf(QmpTimeoutException.class)
                .hasMessage("QEMU at " + peer.socket() + " sent no matching event within 200ms");
    }

    @Test
    void awaitEventFromAListenerIsRefusedInsteadOfDeadlocking() {
        client = QmpClient.connect(peer.socket(), SHORT);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        client.addEventListener(e -> {
            try {
                client.awaitEvent(x -> true, SHORT);
            } catch (IllegalStateException ex) {
                errors.add(ex);
            }
        });
        peer.sendEvent("STOP", null);
        await().atMost(SHORT).until(() -> errors.size() == 1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
