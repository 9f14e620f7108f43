package io.destkit.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streams at positions 0 ({@code users}), 1 ({@code sales.orders}) and 2 ({@code events}). */
class StateTrackerTest {
  private static final int USERS = 0;
  private static final int ORDERS = 1;
  private static final int EVENTS = 2;

  private final List<ObjectNode> emitted = new CopyOnWriteArrayList<>();
  private StateTracker tracker;

  @BeforeEach
  void setUp() {
    DestinationCatalog catalog =
        DestinationCatalog.from(
            ConfiguredCatalog.fromJson(
                tree(
                    "{\"streams\":["
                        + "{\"stream\":{\"name\":\"users\"}},"
                        + "{\"stream\":{\"name\":\"orders\",\"namespace\":\"sales\"}},"
                        + "{\"stream\":{\"name\":\"events\"}}]}")));
    tracker = new StateTracker(catalog, emitted::add);
  }

  private static ObjectNode tree(String json) {
    try {
      return (ObjectNode) MessageCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode streamState(String namespace, String name, int cursor) {
    String ns = namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"";
    return tree(
        "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\""
            + name + "\"" + ns + "},\"stream_state\":{\"cursor\":" + cursor + "}}}}");
  }

  private static ObjectNode globalState(int lsn) {
    return tree(
        "{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":" + lsn
            + "},\"stream_states\":[]}}}");
  }

  private void receive(int stream, int records) {
    for (int i = 0; i < records; i++) {
      tracker.recordReceived(stream);
    }
  }

  private List<String> emittedCursors() {
    List<String> out = new ArrayList<>();
    for (ObjectNode message : emitted) {
      JsonNode state = message.path("state");
      out.add(
          switch (state.path("type").asText("LEGACY")) {
            case "STREAM" -> state.path("stream").path("stream_descriptor").path("name").asText() + "@"
                + state.path("stream").path("stream_state").path("cursor").asText();
            case "GLOBAL" -> "global@" + state.path("global").path("shared_state").path("lsn").asText();
            default -> "legacy@" + state.path("data").path("cursor").asText();
          });
    }
    return out;
  }

  private static double recordCount(ObjectNode message) {
    JsonNode count = message.path("state").path("destinationStats").path("recordCount");
    assertThat(count.isNumber()).as("recordCount is a number").isTrue();
    return count.asDouble();
  }

  @Test
  void aStreamStateIsHeldUntilTheRecordsBeforeItAreCommitted() {
    receive(USERS, 3);
    tracker.stateReceived(streamState(null, "users", 1));

    assertThat(emitted).isEmpty();
    tracker.batchCommitted(USERS, 1, 2);
    assertThat(emitted).isEmpty();
    tracker.batchCommitted(USERS, 3, 3);
    assertThat(emittedCursors()).containsExactly("users@1");
    assertThat(tracker.pendingCount()).isZero();
    assertThat(tracker.emittedCount()).isEqualTo(1);
  }

  @Test
  void theMemoryAStateHoldsIsCountedUntilItIsEmittedThenReleased() {
    List<Long> released = new ArrayList<>();
    tracker.onRelease(released::add);
    receive(USERS, 2);
    tracker.stateReceived(streamState(null, "users", 1), 700);
    receive(ORDERS, 1);
    tracker.stateReceived(globalState(9), 300);
    tracker.stateReceived(streamState("x", "not in catalog", 2), 50);

    assertThat(tracker.heldBytes()).isEqualTo(1050);
    tracker.batchCommitted(USERS, 1, 2);
    assertThat(released).containsExactly(700L);
    assertThat(tracker.heldBytes()).isEqualTo(350);
    tracker.batchCommitted(ORDERS, 1, 1);
    // The global state and the one after it became ready together: released together.
    assertThat(released).containsExactly(700L, 350L);
    assertThat(tracker.heldBytes()).isZero();
  }

  @Test
  void aStreamStateWithNoRecordsBeforeItIsEmittedAtOnce() {
    tracker.stateReceived(streamState(null, "users", 1));

    assertThat(emittedCursors()).containsExactly("users@1");
    assertThat(recordCount(emitted.get(0))).isZero();
  }

  @Test
  void aStreamStateDoesNotWaitForOtherStreams() {
    receive(ORDERS, 5);
    receive(USERS, 1);
    tracker.stateReceived(streamState(null, "users", 7));

    tracker.batchCommitted(USERS, 1, 1);

    assertThat(emittedCursors()).containsExactly("users@7");
  }

  @Test
  void recordsAfterAStateDoNotHoldItBack() {
    receive(USERS, 2);
    tracker.stateReceived(streamState(null, "users", 1));
    receive(USERS, 2);

    tracker.batchCommitted(USERS, 1, 2);

    assertThat(emittedCursors()).containsExactly("users@1");
  }

  @Test
  void statesAreEmittedInArrivalOrderSoASatisfiedStateWaitsBehindAnUnsatisfiedOne() {
    receive(USERS, 1);
    tracker.stateReceived(streamState(null, "users", 1));
    receive(ORDERS, 1);
    tracker.stateReceived(streamState("sales", "orders", 2));

    tracker.batchCommitted(ORDERS, 1, 1);
    assertThat(emitted).as("orders is committed but waits behind users").isEmpty();
    assertThat(tracker.pendingCount()).isEqualTo(2);

    tracker.batchCommitted(USERS, 1, 1);
    assertThat(emittedCursors()).containsExactly("users@1", "orders@2");
  }

  @Test
  void aStateForAStreamNotInTheCatalogPassesThroughWithCountZero() {
    ObjectNode unknown = streamState(null, "not_in_catalog", 9);

    tracker.stateReceived(unknown);

    assertThat(emittedCursors()).containsExactly("not_in_catalog@9");
    assertThat(recordCount(emitted.get(0))).isZero();
  }

  @Test
  void aStateForAStreamNotInTheCatalogStillKeepsItsPlaceInLine() {
    receive(USERS, 1);
    tracker.stateReceived(streamState(null, "users", 1));
    tracker.stateReceived(streamState("elsewhere", "users", 2));

    assertThat(emitted).isEmpty();
    tracker.batchCommitted(USERS, 1, 1);
    assertThat(emittedCursors()).containsExactly("users@1", "users@2");
  }

  @Test
  void theNamespaceIsPartOfTheStreamAStateBelongsTo() {
    receive(ORDERS, 1);
    tracker.stateReceived(streamState(null, "orders", 1));
    assertThat(emittedCursors()).as("orders without namespace is not sales.orders").containsExactly("orders@1");

    tracker.stateReceived(streamState("sales", "orders", 2));
    assertThat(emitted).hasSize(1);
    tracker.batchCommitted(ORDERS, 1, 1);
    assertThat(emittedCursors()).containsExactly("orders@1", "orders@2");
  }

  @Test
  void aGlobalStateWaitsForTheRecordsOfEveryStream() {
    receive(USERS, 2);
    receive(ORDERS, 1);
    receive(EVENTS, 1);
    tracker.stateReceived(globalState(100));

    tracker.batchCommitted(USERS, 1, 2);
    tracker.batchCommitted(EVENTS, 1, 1);
    assertThat(emitted).isEmpty();

    tracker.batchCommitted(ORDERS, 1, 1);
    assertThat(emittedCursors()).containsExactly("global@100");
    assertThat(recordCount(emitted.get(0))).isEqualTo(4.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"LEGACY\",\"data\":{\"cursor\":5}}", "{\"data\":{\"cursor\":5}}"})
  void aLegacyStateOrAStateWithoutTypeWaitsForEveryStream(String state) {
    receive(USERS, 1);
    receive(EVENTS, 2);
    tracker.stateReceived(tree("{\"type\":\"STATE\",\"state\":" + state + "}"));

    tracker.batchCommitted(USERS, 1, 1);
    tracker.batchCommitted(EVENTS, 1, 1);
    assertThat(emitted).isEmpty();

    tracker.batchCommitted(EVENTS, 2, 2);
    assertThat(emittedCursors()).containsExactly("legacy@5");
    assertThat(recordCount(emitted.get(0))).isEqualTo(3.0);
  }

  @Test
  void aGlobalStateIgnoresRecordsThatArriveAfterIt() {
    receive(USERS, 1);
    tracker.stateReceived(globalState(1));
    receive(USERS, 5);
    receive(ORDERS, 5);

    tracker.batchCommitted(USERS, 1, 1);

    assertThat(emittedCursors()).containsExactly("global@1");
  }

  @Test
  void aBatchCommittedBeforeAnEarlierOneDoesNotReleaseAStateEarly() {
    receive(USERS, 6);
    tracker.stateReceived(streamState(null, "users", 1));

    tracker.batchCommitted(USERS, 4, 6);
    assertThat(emitted).isEmpty();
    assertThat(tracker.committed(USERS)).isZero();

    tracker.batchCommitted(USERS, 1, 3);
    assertThat(tracker.committed(USERS)).isEqualTo(6);
    assertThat(emittedCursors()).containsExactly("users@1");
  }

  @Test
  void aStateBetweenTwoBatchesIsReleasedByTheFirstEvenWhenTheSecondCommitsFirst() {
    receive(USERS, 3);
    tracker.stateReceived(streamState(null, "users", 1));
    receive(USERS, 3);
    tracker.stateReceived(streamState(null, "users", 2));

    tracker.batchCommitted(USERS, 4, 6);
    assertThat(emitted).isEmpty();

    tracker.batchCommitted(USERS, 1, 3);
    assertThat(emittedCursors()).containsExactly("users@1", "users@2");
  }

  @Test
  void gapsBetweenSeveralOutOfOrderBatchesAreFilledInAnyOrder() {
    receive(USERS, 10);
    tracker.stateReceived(streamState(null, "users", 1));

    tracker.batchCommitted(USERS, 9, 10);
    tracker.batchCommitted(USERS, 4, 5);
    tracker.batchCommitted(USERS, 1, 3);
    assertThat(tracker.committed(USERS)).isEqualTo(5);
    tracker.batchCommitted(USERS, 6, 8);

    assertThat(tracker.committed(USERS)).isEqualTo(10);
    assertThat(emittedCursors()).containsExactly("users@1");
  }

  @Test
  void recordCountIsTheRecordsSinceThePreviousStateOfTheSameScope() {
    receive(USERS, 2);
    tracker.stateReceived(streamState(null, "users", 1)); // users: 2
    receive(ORDERS, 3);
    tracker.stateReceived(streamState("sales", "orders", 2)); // orders: 3
    receive(USERS, 1);
    tracker.stateReceived(streamState(null, "users", 3)); // users: 1
    tracker.stateReceived(streamState(null, "users", 4)); // users: 0
    tracker.stateReceived(globalState(5)); // everything so far: 6
    receive(EVENTS, 4);
    tracker.stateReceived(globalState(6)); // since the previous global: 4

    tracker.batchCommitted(USERS, 1, 3);
    tracker.batchCommitted(ORDERS, 1, 3);
    tracker.batchCommitted(EVENTS, 1, 4);

    assertThat(emittedCursors()).containsExactly("users@1", "orders@2", "users@3", "users@4", "global@5", "global@6");
    assertThat(emitted).extracting(StateTrackerTest::recordCount).containsExactly(2.0, 3.0, 1.0, 0.0, 6.0, 4.0);
  }

  @Test
  void recordCountIsWrittenAsADecimalNumberAsTheProtocolAsks() {
    receive(USERS, 2);
    tracker.stateReceived(streamState(null, "users", 1));
    tracker.batchCommitted(USERS, 1, 2);

    assertThat(MessageCodec.encode(emitted.get(0))).contains("\"destinationStats\":{\"recordCount\":2.0}");
  }

  @Test
  void everythingElseInTheStateIsEmittedUnchanged() {
    String original =
        "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\"},"
            + "\"stream_state\":{\"cursor\":\"2024-01-01\",\"nested\":[1,{\"a\":null}],\"precise\":1.10}},"
            + "\"sourceStats\":{\"recordCount\":1.0},\"x_extra\":true},\"x_top\":{\"y\":1},\"sourceIdentity\":\"s\"}";
    receive(USERS, 1);
    tracker.stateReceived(tree(original));
    tracker.batchCommitted(USERS, 1, 1);

    ObjectNode expected = tree(original);
    ((ObjectNode) expected.get("state")).putObject("destinationStats").put("recordCount", 1.0);
    assertThat(emitted).containsExactly(expected);
    assertThat(MessageCodec.encode(emitted.get(0)))
        .startsWith(original.substring(0, original.indexOf(",\"x_top\"") - 1))
        .contains("\"precise\":1.10");
  }

  @Test
  void statesAreEmittedInArrivalOrderWhateverOrderManyFlushThreadsCommitIn() throws Exception {
    Random random = new Random(42);
    List<int[]> batches = new ArrayList<>();
    long[] next = new long[3];
    int expectedStates = 0;
    for (int round = 0; round < 300; round++) {
      int stream = random.nextInt(3);
      int size = 1 + random.nextInt(5);
      receive(stream, size);
      batches.add(new int[] {stream, (int) next[stream] + 1, (int) next[stream] + size});
      next[stream] += size;
      if (random.nextInt(3) == 0) {
        tracker.stateReceived(round % 2 == 0 ? globalState(round) : streamState(null, "users", round));
        expectedStates++;
      }
    }
    Collections.shuffle(batches, random);

    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int[] batch : batches) {
      pool.execute(() -> tracker.batchCommitted(batch[0], batch[1], batch[2]));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(emitted).hasSize(expectedStates);
    List<Integer> order = emittedCursors().stream().map(c -> Integer.parseInt(c.substring(c.indexOf('@') + 1))).toList();
    assertThat(order).isSorted();
  }
}
