package io.destkit.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.pipeline.MemoryCheckpointStore;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.RawId;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The checkpoints a tracker records before it writes each STATE; streams {@code users} (0) and {@code orders} (1). */
class StateTrackerCheckpointTest {
  private static final int USERS = 0;
  private static final int ORDERS = 1;

  private final DestinationCatalog catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(tree(
      "{\"streams\":[{\"stream\":{\"name\":\"users\"}},{\"stream\":{\"name\":\"orders\"}}]}")));
  private final MemoryCheckpointStore store = new MemoryCheckpointStore(2);
  private final List<String> log = new CopyOnWriteArrayList<>();
  private long nextId = 100;

  private static ObjectNode tree(String json) {
    try {
      return (ObjectNode) MessageCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode streamState(String name, int cursor) {
    return tree("{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\""
        + name + "\"},\"stream_state\":{\"cursor\":" + cursor + "}}}}");
  }

  private static ObjectNode globalState(int lsn) {
    return tree("{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":" + lsn
        + "},\"stream_states\":[]}}}");
  }

  /** A tracker whose emitter logs each state with the marks recorded when it was written. */
  private StateTracker tracker() {
    return new StateTracker(catalog, message -> log.add(describe(message)), store);
  }

  private String describe(ObjectNode message) {
    String state = message.path("state").path("type").asText().equals("GLOBAL")
        ? "global@" + message.path("state").path("global").path("shared_state").path("lsn").asText()
        : message.path("state").path("stream").path("stream_descriptor").path("name").asText() + "@"
            + message.path("state").path("stream").path("stream_state").path("cursor").asText();
    return state + " users<=" + mark(USERS) + " orders<=" + mark(ORDERS);
  }

  private String mark(int stream) {
    return store.get(stream) == null ? "-" : String.valueOf(store.get(stream).mark().low());
  }

  /** Receives a record with the next raw id (its low bits count up from 101) and returns that id. */
  private long receive(StateTracker tracker, int stream) {
    long id = ++nextId;
    tracker.recordReceived(stream, 0x7000L, id);
    return id;
  }

  @Test
  void aStreamStateIsWrittenOnlyAfterTheRawIdOfItsLastRecordIsRecorded() {
    StateTracker tracker = tracker();
    receive(tracker, USERS);
    receive(tracker, ORDERS);
    receive(tracker, USERS);
    tracker.stateReceived(streamState("users", 1));
    tracker.batchCommitted(USERS, 1, 2);

    assertThat(log).containsExactly("users@1 users<=103 orders<=-");
    assertThat(store.events()).containsExactly("advance [0]");
  }

  @Test
  void aGlobalStateRecordsTheLastRawIdOfEveryStream() {
    StateTracker tracker = tracker();
    receive(tracker, USERS);
    receive(tracker, ORDERS);
    receive(tracker, ORDERS);
    tracker.stateReceived(globalState(7));
    receive(tracker, USERS);
    tracker.batchCommitted(ORDERS, 1, 2);
    assertThat(log).isEmpty();
    tracker.batchCommitted(USERS, 1, 1);

    // The record received after the state is not covered: users stays at 101.
    assertThat(log).containsExactly("global@7 users<=101 orders<=103");
  }

  @Test
  void statesThatBecomeReadyTogetherAreRecordedInOneCall() {
    StateTracker tracker = tracker();
    for (int cursor = 1; cursor <= 5; cursor++) {
      receive(tracker, USERS);
      tracker.stateReceived(streamState("users", cursor));
    }
    tracker.batchCommitted(USERS, 1, 5);

    assertThat(store.events()).containsExactly("advance [0]");
    // Every state is written after the last one's position is recorded.
    assertThat(log).hasSize(5).allMatch(line -> line.endsWith("users<=105 orders<=-"));
  }

  @Test
  void aStateThatCoversNoNewRecordRecordsNothing() {
    StateTracker tracker = tracker();
    receive(tracker, USERS);
    tracker.stateReceived(streamState("users", 1));
    tracker.batchCommitted(USERS, 1, 1);
    tracker.stateReceived(streamState("users", 2));
    tracker.stateReceived(streamState("orders", 1));

    assertThat(log).containsExactly("users@1 users<=101 orders<=-", "users@2 users<=101 orders<=-",
        "orders@1 users<=101 orders<=-");
    assertThat(store.events()).containsExactly("advance [0]");
  }

  @Test
  void aCheckpointThatCannotBeRecordedStopsEveryLaterState() {
    store.failingAdvanceWith(new IllegalStateException("connection lost"));
    StateTracker tracker = tracker();
    AtomicReference<Exception> reported = new AtomicReference<>();
    tracker.onFailure(reported::set);
    receive(tracker, USERS);
    tracker.stateReceived(streamState("users", 1));
    tracker.batchCommitted(USERS, 1, 1);
    store.failingAdvanceWith(null);
    receive(tracker, USERS);
    tracker.stateReceived(streamState("users", 2));
    tracker.batchCommitted(USERS, 2, 2);

    assertThat(log).isEmpty();
    assertThat(reported.get()).isInstanceOf(StateTracker.CheckpointFailure.class)
        .hasMessageContaining("were not emitted").hasMessageContaining("connection lost");
    assertThat(tracker.failure()).isSameAs(reported.get());
  }

  @Test
  void aStdoutThatCannotBeWrittenIsReportedAsSuchAndStopsEmission() {
    AtomicReference<Exception> reported = new AtomicReference<>();
    StateTracker tracker = new StateTracker(catalog, message -> {
      throw new UncheckedIOException("cannot write to stdout", new IOException("Broken pipe"));
    }, store);
    tracker.onFailure(reported::set);
    receive(tracker, USERS);
    tracker.stateReceived(streamState("users", 1));
    tracker.batchCommitted(USERS, 1, 1);

    assertThat(reported.get()).isInstanceOf(StateTracker.OutputFailure.class)
        .hasMessageContaining("Cannot write a STATE message to stdout");
    assertThat(tracker.emittedCount()).isZero();
  }

  @Test
  void aSlowReaderOfStdoutHoldsUpNoCommitAndStatesKeepTheirOrder() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch reader = new CountDownLatch(1);
    List<String> written = new CopyOnWriteArrayList<>();
    StateTracker tracker = new StateTracker(catalog, message -> {
      writing.countDown();
      try {
        reader.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.add(describe(message));
    }, store);
    receive(tracker, USERS);
    tracker.stateReceived(streamState("users", 1));
    receive(tracker, ORDERS);
    tracker.stateReceived(streamState("orders", 1));
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> tracker.batchCommitted(USERS, 1, 1));
    assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

    // Another flush thread's commit returns while the first state is still being written.
    CompletableFuture.runAsync(() -> tracker.batchCommitted(ORDERS, 1, 1)).get(10, TimeUnit.SECONDS);
    assertThat(tracker.committed(ORDERS)).isEqualTo(1);
    reader.countDown();
    first.get(10, TimeUnit.SECONDS);
    tracker.emitReadyNow();

    assertThat(written).containsExactly("users@1 users<=101 orders<=-", "orders@1 users<=101 orders<=102");
  }
}
