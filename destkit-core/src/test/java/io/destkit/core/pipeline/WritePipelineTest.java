package io.destkit.core.pipeline;

import io.destkit.core.write.RetrySettings;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.InputException;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.naming.TestRules;
import io.destkit.core.state.StateTracker;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.ValueLimits;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.JsonConfiguration;
import io.destkit.protocol.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write pipeline end to end, in process, over the catalog in {@code pipeline/catalog.json} and
 * {@link RecordingLoader}s.
 */
@Timeout(60)
class WritePipelineTest {
  private static final int USERS = 0;
  private static final int ORDERS = 1;
  private static final int NS1_ITEMS = 2;
  private static final int NS2_ITEMS = 3;
  private static final int ITEMS = 4;
  private static final int BLOBS = 5;

  private static final PipelineSettings SETTINGS =
      new PipelineSettings(2, 1 << 20, 10_000, Duration.ofSeconds(30), 64L << 20);

  /**
   * One sync: the catalog, a loader per stream, and the states the tracker emitted. Buffer ages are
   * measured on {@link #clock}, which only the test moves.
   */
  private static final class Sync {
    final DestinationCatalog catalog;
    final TableCatalog tables;
    final List<RecordingLoader> loaders = new ArrayList<>();
    final List<ObjectNode> states = new CopyOnWriteArrayList<>();
    private final Semaphore stateEmitted = new Semaphore(0);
    final AtomicLong clock = new AtomicLong();
    final StateTracker tracker;
    final WritePipeline pipeline;

    Sync(PipelineSettings settings) {
      catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(resource("pipeline/catalog.json")));
      tables = TableCatalog.build(catalog, new NamingPolicy(TestRules.lowerCase255(), "main", null));
      for (int i = 0; i < catalog.size(); i++) {
        loaders.add(new RecordingLoader(tables.get(i)));
      }
      tracker = new StateTracker(catalog, state -> {
        states.add(state);
        stateEmitted.release();
      });
      pipeline = new WritePipeline(
          catalog, tables, List.copyOf(loaders), tracker, ValueLimits.NONE, settings, clock::get);
    }

    /** Waits until {@code count} more states have been emitted. */
    void awaitStates(int count) throws InterruptedException {
      assertThat(stateEmitted.tryAcquire(count, 20, TimeUnit.SECONDS)).as(count + " states emitted").isTrue();
    }

    Sync() {
      this(SETTINGS);
    }

    SyncResult run(String... lines) {
      return run(new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(UTF_8)));
    }

    SyncResult run(InputStream in) {
      return pipeline.run(in);
    }

    RecordingLoader loader(int stream) {
      return loaders.get(stream);
    }

    List<String> stateCursors() {
      return states.stream().map(WritePipelineTest::cursorOf).toList();
    }
  }

  private static JsonNode resource(String name) {
    try (InputStream in = WritePipelineTest.class.getResourceAsStream("/" + name)) {
      return MessageCodec.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(String json) {
    try {
      return MessageCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String record(String stream, String data) {
    return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"" + stream + "\",\"data\":" + data + ",\"emitted_at\":1000}}";
  }

  private static String record(String namespace, String stream, String data) {
    return "{\"type\":\"RECORD\",\"record\":{\"namespace\":\"" + namespace + "\",\"stream\":\"" + stream
        + "\",\"data\":" + data + ",\"emitted_at\":1000}}";
  }

  private static String user(int id) {
    return record("users", "{\"id\":" + id + ",\"name\":\"user " + id + "\"}");
  }

  private static String order(int id) {
    return record("sales", "orders", "{\"id\":" + id + ",\"amount\":" + id + ".5}");
  }

  private static String usersState(String cursor) {
    return "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\"},"
        + "\"stream_state\":{\"cursor\":\"" + cursor + "\"}}}}";
  }

  private static String ordersState(String cursor) {
    return "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"orders\","
        + "\"namespace\":\"sales\"},\"stream_state\":{\"cursor\":\"" + cursor + "\"}}}}";
  }

  private static String globalState(String cursor) {
    return "{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"cursor\":\"" + cursor
        + "\"},\"stream_states\":[]}}}";
  }

  private static String status(String namespace, String name, String status) {
    String ns = namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"";
    return "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1.0,\"stream_status\":"
        + "{\"stream_descriptor\":{\"name\":\"" + name + "\"" + ns + "},\"status\":\"" + status + "\"}}}";
  }

  private static String cursorOf(ObjectNode state) {
    JsonNode body = state.path("state");
    return body.path("stream").path("stream_state").path("cursor").asText(
        body.path("global").path("shared_state").path("cursor").asText(body.path("data").path("cursor").asText()));
  }

  private static double recordCount(ObjectNode state) {
    return state.path("state").path("destinationStats").path("recordCount").asDouble(-1);
  }

  private static List<Long> ids(RecordingLoader loader) {
    return loader.values().stream().map(values -> (Long) values.get("id")).toList();
  }

  /**
   * Input the test feeds chunk by chunk. It tells when the reader has taken everything fed so far
   * and asks for more: then every line fed has been parsed and handled.
   */
  private static final class FedInput extends InputStream {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final Semaphore readerWaiting = new Semaphore(0);
    private byte[] current = new byte[0];
    private int position;

    void feed(String lines) {
      chunks.add(lines.getBytes(UTF_8));
    }

    void end() {
      chunks.add(END);
    }

    void awaitReaderWaiting() throws InterruptedException {
      assertThat(readerWaiting.tryAcquire(20, TimeUnit.SECONDS)).as("the reader asks for more input").isTrue();
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (current == END) {
        return -1;
      }
      if (position == current.length) {
        byte[] next = chunks.poll();
        if (next == null) {
          readerWaiting.release();
          try {
            next = chunks.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
          }
        }
        current = next;
        position = 0;
        if (current == END) {
          return -1;
        }
      }
      int n = Math.min(length, current.length - position);
      System.arraycopy(current, position, target, offset, n);
      position += n;
      return n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  // --- parsing into typed rows ---------------------------------------------------------------

  @Test
  void recordDataIsReadIntoTheStreamsColumnsWithEachValueCoercedToItsType() {
    Sync sync = new Sync();
    SyncResult result =
        sync.run(
            "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"emitted_at\":1700000000123,\"data\":"
                + "{\"id\":1,\"name\":\"Ada\",\"score\":12.50,\"active\":true,\"born\":\"1990-05-17\","
                + "\"updated_at\":\"2024-01-02T03:04:05+02:00\",\"address\":{\"city\":\"Paris\",\"zip\":\"75001\"},"
                + "\"tags\":[\"a\",\"b\"]}}}");

    assertThat(result.failure()).isNull();
    RecordingLoader users = sync.loader(USERS);
    assertThat(users.rows()).hasSize(1);
    Row row = users.rows().get(0);
    assertThat(users.valuesOf(row))
        .containsExactly(
            entry("id", 1L),
            entry("name", "Ada"),
            entry("score", new BigDecimal("12.50")),
            entry("active", true),
            entry("born", LocalDate.of(1990, 5, 17)),
            entry("updated_at", OffsetDateTime.parse("2024-01-02T01:04:05Z")),
            entry("address", "{\"city\":\"Paris\",\"zip\":\"75001\"}"),
            entry("tags", "[\"a\",\"b\"]"));
    assertThat(row.extractedAtMillis()).isEqualTo(1700000000123L);
    assertThat(row.changes()).isNull();
  }

  @Test
  void missingAndNullFieldsAreNullWithoutAnyChange() {
    Sync sync = new Sync();
    sync.run(record("users", "{\"id\":2,\"name\":null}"));

    Row row = sync.loader(USERS).rows().get(0);
    assertThat(sync.loader(USERS).valuesOf(row))
        .containsEntry("id", 2L)
        .containsEntry("name", null)
        .containsEntry("score", null)
        .containsEntry("tags", null);
    assertThat(row.changes()).isNull();
  }

  @Test
  void eachRecordGetsItsOwnTimeOrderedVersion7RawIdIncreasingInArrivalOrder() {
    Sync sync = new Sync();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add(user(i));
    }
    sync.run(lines.toArray(new String[0]));

    List<Row> rows = sync.loader(USERS).rows();
    List<Map<String, Object>> values = sync.loader(USERS).values();
    TreeMap<Long, UUID> idsByArrival = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      UUID rawId = rows.get(i).rawId();
      assertThat(rawId.version()).isEqualTo(7);
      assertThat(rawId.variant()).isEqualTo(2);
      idsByArrival.put((Long) values.get(i).get("id"), rawId);
    }
    List<UUID> inArrivalOrder = new ArrayList<>(idsByArrival.values());
    assertThat(inArrivalOrder).hasSize(200).doesNotHaveDuplicates()
        .isSortedAccordingTo((a, b) -> a.toString().compareTo(b.toString()));
  }


  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":7,\"name\":\"x\"},\"emitted_at\":5}}",
        "{\"record\":{\"data\":{\"id\":7,\"name\":\"x\"},\"stream\":\"users\",\"emitted_at\":5},\"type\":\"RECORD\"}",
        "{\"record\":{\"emitted_at\":5,\"data\":{\"name\":\"x\",\"id\":7},\"stream\":\"users\"},\"type\":\"RECORD\"}",
        "{\"type\":\"RECORD\",\"record\":{\"namespace\":null,\"stream\":\"users\",\"data\":{\"id\":7,\"name\":\"x\"},\"emitted_at\":5}}",
        "{\"type\":\"RECORD\",\"record\":{\"data\":{\"id\":7,\"name\":\"x\"},\"namespace\":null,\"emitted_at\":5.0,\"stream\":\"users\"}}",
        "{\"type\":\"RECORD\",\"x_extra\":[1],\"record\":{\"x\":{\"y\":[]},\"stream\":\"users\",\"data\":{\"id\":7,\"name\":\"x\"},\"emitted_at\":5,\"file_reference\":null}}",
        " { \"type\" : \"RECORD\" , \"record\" : { \"stream\" : \"users\" , \"data\" : { \"id\" : 7 , \"name\" : \"x\" } , \"emitted_at\" : 5 } } "
      })
  void theOrderOfFieldsInTheMessageDoesNotMatter(String line) {
    Sync sync = new Sync();
    SyncResult result = sync.run(line);

    assertThat(result.failure()).isNull();
    Row row = sync.loader(USERS).rows().get(0);
    assertThat(sync.loader(USERS).valuesOf(row)).containsEntry("id", 7L).containsEntry("name", "x");
    assertThat(row.extractedAtMillis()).isEqualTo(5);
    assertThat(row.changes()).isNull();
  }

  @Test
  void dataBeforeItsNamespaceIsReadWithTheSchemaOfTheRightStream() {
    Sync sync = new Sync();
    SyncResult result =
        sync.run(
            // data first: the parser cannot know the stream yet
            "{\"type\":\"RECORD\",\"record\":{\"data\":{\"id\":5,\"label\":\"five\"},\"stream\":\"items\",\"namespace\":\"ns1\"}}",
            // stream first but namespace last: a guess at the stream without namespace would be wrong
            "{\"type\":\"RECORD\",\"record\":{\"stream\":\"items\",\"data\":{\"id\":\"A-1\",\"label\":\"10\"},\"namespace\":\"ns2\"}}",
            record("ns1", "items", "{\"id\":6,\"label\":\"six\"}"),
            record("items", "{\"id\":true}"));

    assertThat(result.failure()).isNull();
    assertThat(sync.loader(NS1_ITEMS).values())
        .containsExactly(Map.of("id", 5L, "label", "five"), Map.of("id", 6L, "label", "six"));
    assertThat(sync.loader(NS2_ITEMS).values()).containsExactly(Map.of("id", "A-1", "label", 10L));
    assertThat(sync.loader(ITEMS).values()).containsExactly(Map.of("id", true));
    for (int stream : new int[] {NS1_ITEMS, NS2_ITEMS, ITEMS}) {
      assertThat(sync.loader(stream).rows()).allSatisfy(row -> assertThat(row.changes()).isNull());
      assertThat(sync.pipeline.stats(stream).nulledValues()).isZero();
    }
  }

  @Test
  void fieldsTheSchemaDoesNotDeclareAreDropped() {
    Sync sync = new Sync();
    sync.run(record("sales", "orders", "{\"id\":1,\"unknown\":{\"deep\":[1,2,3]},\"amount\":2.5,\"other\":\"x\"}"));

    RecordingLoader orders = sync.loader(ORDERS);
    assertThat(orders.rows().get(0).values()).hasSize(2);
    assertThat(orders.values()).containsExactly(Map.of("id", 1L, "amount", new BigDecimal("2.5")));
    assertThat(orders.rows().get(0).changes()).isNull();
  }

  @Test
  void aSchemalessStreamKeepsTheWholeDataAsJson() {
    Sync sync = new Sync();
    sync.run(
        record("blobs", "{\"b\":[1,2.50,{\"c\":null}],\"a\":\"x\",\"n\":{}}"),
        "{\"record\":{\"data\":{\"z\":true},\"stream\":\"blobs\"},\"type\":\"RECORD\"}");

    RecordingLoader blobs = sync.loader(BLOBS);
    assertThat(blobs.values())
        .containsExactly(
            Map.of("_airbyte_data", "{\"b\":[1,2.50,{\"c\":null}],\"a\":\"x\",\"n\":{}}"),
            Map.of("_airbyte_data", "{\"z\":true}"));
    assertThat(blobs.rows()).allSatisfy(row -> assertThat(row.changes()).isNull());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void changesFromTheSourceAreKeptAndTheDestinationsAreAppended(boolean metaFirst) {
    String meta = "\"meta\":{\"sync_id\":1,\"changes\":[{\"field\":\"name\",\"change\":\"TRUNCATED\","
        + "\"reason\":\"SOURCE_FIELD_SIZE_LIMITATION\"}]}";
    String data = "\"data\":{\"id\":99999999999999999999999,\"name\":\"Ad\",\"active\":\"maybe\",\"score\":1.5}";
    Sync sync = new Sync();
    SyncResult result =
        sync.run(
            "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\","
                + (metaFirst ? meta + "," + data : data + "," + meta) + ",\"emitted_at\":1}}");

    assertThat(result.failure()).isNull();
    Row row = sync.loader(USERS).rows().get(0);
    assertThat(sync.loader(USERS).valuesOf(row))
        .containsEntry("id", null)
        .containsEntry("name", "Ad")
        .containsEntry("active", null)
        .containsEntry("score", new BigDecimal("1.5"));
    assertThat(tree(row.changes()))
        .isEqualTo(
            tree(
                "[{\"field\":\"name\",\"change\":\"TRUNCATED\",\"reason\":\"SOURCE_FIELD_SIZE_LIMITATION\"},"
                    + "{\"field\":\"id\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"},"
                    + "{\"field\":\"active\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_SERIALIZATION_ERROR\"}]"));
    assertThat(sync.pipeline.stats(USERS).nulledValues()).isEqualTo(2);
  }

  @Test
  void sourceChangesAloneAreKeptAndAnEmptyChangeListIsNoChange() {
    Sync sync = new Sync();
    sync.run(
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":1},\"meta\":{\"changes\":"
            + "[{\"field\":\"name\",\"change\":\"NULLED\",\"reason\":\"SOURCE_RETRIEVAL_ERROR\"}]}}}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":2},\"meta\":{\"changes\":[]}}}");

    List<Row> rows = sync.loader(USERS).rows();
    assertThat(tree(rows.get(0).changes()))
        .isEqualTo(tree("[{\"field\":\"name\",\"change\":\"NULLED\",\"reason\":\"SOURCE_RETRIEVAL_ERROR\"}]"));
    assertThat(rows.get(1).changes()).isNull();
  }

  @Test
  void changesOfOneRecordDoNotLeakIntoTheNext() {
    Sync sync = new Sync();
    sync.run(record("users", "{\"id\":\"bad\"}"), record("users", "{\"id\":2}"));

    List<Row> rows = sync.loader(USERS).rows();
    assertThat(rows.get(0).changes()).contains("\"field\":\"id\"");
    assertThat(rows.get(1).changes()).isNull();
  }

  @Test
  void blankLinesCarriageReturnsAndMessagesADestinationIgnoresAreSkipped() {
    Sync sync = new Sync();
    String input = user(1) + "\r\n\r\n   \r\n"
        + "{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"hi\"}}\r\n"
        + "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ESTIMATE\",\"emitted_at\":1.0,\"estimate\":{\"name\":\"users\",\"type\":\"STREAM\"}}}\n"
        + "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":1.0,\"error\":{\"message\":\"source hiccup\"}}}\n"
        + "{\"type\":\"CONTROL\",\"control\":{\"type\":\"CONNECTOR_CONFIG\",\"emitted_at\":1.0,\"connectorConfig\":{\"config\":{}}}}\n"
        + user(2);

    SyncResult result = sync.run(new ByteArrayInputStream(input.getBytes(UTF_8)));

    assertThat(result.failure()).isNull();
    assertThat(ids(sync.loader(USERS))).containsExactly(1L, 2L);
    assertThat(result.records()).isEqualTo(2);
    assertThat(result.bytes()).isEqualTo(input.getBytes(UTF_8).length);
  }

  // --- states ----------------------------------------------------------------------------------

  @Test
  void statesAreEmittedInOrderWithTheRecordsTheyCover() {
    Sync sync = new Sync();
    SyncResult result =
        sync.run(user(1), user(2), usersState("u1"), order(1), ordersState("o1"), user(3), globalState("g1"));

    assertThat(result.failure()).isNull();
    assertThat(sync.stateCursors()).containsExactly("u1", "o1", "g1");
    assertThat(sync.states).extracting(WritePipelineTest::recordCount).containsExactly(2.0, 1.0, 4.0);
    assertThat(result.statesEmitted()).isEqualTo(3);
    assertThat(sync.pipeline.stats(USERS).rowsWritten()).isEqualTo(3);
    assertThat(sync.pipeline.stats(ORDERS).rowsWritten()).isEqualTo(1);
  }

  // --- failures --------------------------------------------------------------------------------

  @Test
  void aMalformedLineFailsTheSyncNamingTheLineAfterCommittingWhatCameBefore() {
    Sync sync = new Sync();
    SyncResult result =
        sync.run(
            user(1),
            usersState("c1"),
            user(2),
            usersState("c2"),
            "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":3}",
            user(4),
            usersState("c4"),
            status(null, "users", "COMPLETE"));

    assertThat(result.failure()).isInstanceOf(InputException.class).hasMessageContaining("Line 5");
    assertThat(ids(sync.loader(USERS))).containsExactly(1L, 2L);
    assertThat(sync.stateCursors()).containsExactly("c1", "c2");
    assertThat(sync.states).extracting(WritePipelineTest::recordCount).containsExactly(1.0, 1.0);
    assertThat(sync.loaders).allSatisfy(loader -> assertThat(loader.closedWith()).isFalse());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[1,2]",
        "42",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":[1]}}",
        "{\"record\":{\"stream\":\"users\",\"data\":{}}}",
        "{\"type\":\"NOT_A_TYPE\"}",
        "{\"type\":\"RECORD\"}",
        "{\"type\":\"RECORD\",\"record\":{\"data\":{}}}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\"}}",
        "{\"type\":\"LOG\",\"log\":{}} {\"type\":\"LOG\",\"log\":{}}"
      })
  void everyKindOfBadLineIsAnInputErrorNamingItsLine(String bad) {
    Sync sync = new Sync();
    SyncResult result = sync.run(user(1), usersState("c1"), bad, user(2));

    assertThat(result.failure()).isInstanceOf(InputException.class).hasMessageContaining("Line 3");
    assertThat(ids(sync.loader(USERS))).containsExactly(1L);
    assertThat(sync.stateCursors()).containsExactly("c1");
  }

  @Test
  void aRecordForAStreamNotInTheCatalogFailsTheSyncNamingTheStream() {
    Sync sync = new Sync();
    SyncResult result = sync.run(user(1), record("nope", "{\"id\":1}"), user(2));

    assertThat(result.failure())
        .isInstanceOf(InputException.class)
        .hasMessageContaining("Line 2")
        .hasMessageContaining("'nope'");
    assertThat(ids(sync.loader(USERS))).containsExactly(1L);
  }

  @Test
  void aRecordInANamespaceTheCatalogDoesNotHaveFailsTheSyncNamingNamespaceAndStream() {
    Sync sync = new Sync();
    SyncResult result = sync.run(record("other", "users", "{\"id\":1}"));

    assertThat(result.failure()).isInstanceOf(InputException.class).hasMessageContaining("'other.users'");
    assertThat(sync.loader(USERS).rows()).isEmpty();
  }

  @Test
  void aStreamStatusForAStreamNotInTheCatalogFailsTheSync() {
    Sync sync = new Sync();
    SyncResult result = sync.run(user(1), status("x", "ghost", "COMPLETE"));

    assertThat(result.failure())
        .isInstanceOf(InputException.class)
        .hasMessageContaining("Line 2")
        .hasMessageContaining("'x.ghost'");
  }

  @Test
  void aFailedWriteFailsTheSyncAndNoStateAfterItIsEmitted() {
    Sync sync = new Sync(new PipelineSettings(1, 1 << 20, 1, Duration.ofSeconds(30), 64L << 20));
    sync.loader(USERS).failingWhen((number, batch) -> number == 2);

    SyncResult result =
        sync.run(
            user(1), usersState("c1"), user(2), usersState("c2"), user(3), usersState("c3"),
            status(null, "users", "COMPLETE"));

    assertThat(result.failure())
        .isInstanceOf(WritePipeline.WriteFailure.class)
        .hasMessageContaining("'users'")
        .hasMessageContaining("disk full on write 2");
    assertThat(ids(sync.loader(USERS))).containsExactly(1L);
    assertThat(sync.stateCursors()).containsExactly("c1");
    assertThat(sync.loader(USERS).closedWith()).isFalse();
  }

  @Test
  void aFailedWriteOfOneStreamStopsStatesOfEveryScopeThatNeedsIt() {
    Sync sync = new Sync(new PipelineSettings(1, 1 << 20, 1, Duration.ofSeconds(30), 64L << 20));
    sync.loader(ORDERS).failingWhen((number, batch) -> true);

    SyncResult result = sync.run(user(1), usersState("u1"), order(1), globalState("g1"), user(2), usersState("u2"));

    assertThat(result.failure()).isInstanceOf(WritePipeline.WriteFailure.class).hasMessageContaining("sales.orders");
    assertThat(sync.stateCursors()).containsExactly("u1");
  }

  @Test
  void theEndOfTheInputWaitsForAStuckFlushOnlyAsLongAsItsRetriesMayTakeThenFailsNamingTheStream() {
    PipelineSettings settings = new PipelineSettings(1, 1 << 20, 1, Duration.ofSeconds(30), 64L << 20, 1 << 20,
        Duration.ofSeconds(1), new RetrySettings(1, Duration.ofMillis(10), Duration.ofMillis(10)));
    Sync sync = new Sync(settings);
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    sync.loader(ORDERS).beforeEachWrite(batch -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long start = System.nanoTime();

    SyncResult result = sync.run(user(1), usersState("u1"), order(1), status(null, "users", "COMPLETE"));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(result.failure()).isInstanceOf(WritePipeline.WriteFailure.class)
        .hasMessageContaining("'sales.orders' (1)").hasMessageContaining("destkit.flush.timeout.seconds");
    assertThat(sync.stateCursors()).containsExactly("u1");
  }

  // --- batching ------------------------------------------------------------------------------

  @Test
  void aStreamsBufferIsFlushedEveryBatchRecordsRecords() {
    Sync sync = new Sync(SETTINGS.withBatchRecords(3));
    SyncResult result = sync.run(user(1), user(2), user(3), user(4), user(5), user(6), user(7));

    assertThat(result.failure()).isNull();
    List<RecordBatch> batches = sync.loader(USERS).batches();
    assertThat(batches).extracting(RecordBatch::size).containsExactly(3, 3, 1);
    assertThat(batches).extracting(RecordBatch::firstSequence).containsExactly(1L, 4L, 7L);
    assertThat(batches).allSatisfy(batch -> assertThat(batch.streamIndex()).isEqualTo(USERS));
    assertThat(ids(sync.loader(USERS))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }

  @Test
  void eachStreamIsCountedSeparatelyForTheBatchTrigger() {
    Sync sync = new Sync(SETTINGS.withBatchRecords(2));
    sync.run(user(1), order(1), user(2), order(2), user(3));

    assertThat(sync.loader(USERS).batches()).extracting(RecordBatch::size).containsExactly(2, 1);
    assertThat(sync.loader(ORDERS).batches()).extracting(RecordBatch::size).containsExactly(2);
  }

  @Test
  void aBufferOlderThanMaxAgeIsFlushedSoItsStateIsEmittedBeforeTheInputEnds() throws Exception {
    Duration maxAge = Duration.ofSeconds(5);
    Sync sync = new Sync(SETTINGS.withMaxAge(maxAge));
    FedInput in = new FedInput();
    in.feed(user(1) + "\n" + usersState("c1") + "\n");
    CompletableFuture<SyncResult> run = CompletableFuture.supplyAsync(() -> sync.run(in));
    in.awaitReaderWaiting();

    sync.clock.addAndGet(maxAge.toNanos() - 1);
    sync.pipeline.flushAged();
    assertThat(sync.pipeline.bufferedRecords(USERS)).as("younger than the maximum age: kept").isEqualTo(1);
    sync.clock.addAndGet(1);
    sync.pipeline.flushAged();
    assertThat(sync.pipeline.bufferedRecords(USERS)).as("as old as the maximum age: flushed").isZero();
    sync.awaitStates(1);

    assertThat(run).isNotDone();
    assertThat(sync.stateCursors()).containsExactly("c1");
    assertThat(ids(sync.loader(USERS))).containsExactly(1L);

    in.feed(user(2) + "\n" + usersState("c2") + "\n");
    in.end();
    SyncResult result = run.get(20, TimeUnit.SECONDS);

    assertThat(result.failure()).isNull();
    assertThat(sync.stateCursors()).containsExactly("c1", "c2");
    assertThat(ids(sync.loader(USERS))).containsExactly(1L, 2L);
  }

  @Test
  void withoutTheAgeTriggerAStateWaitsForTheEndOfInput() throws Exception {
    Sync sync = new Sync();
    FedInput in = new FedInput();
    in.feed(user(1) + "\n" + usersState("c1") + "\n");
    CompletableFuture<SyncResult> run = CompletableFuture.supplyAsync(() -> sync.run(in));
    in.awaitReaderWaiting();

    sync.clock.addAndGet(SETTINGS.maxAge().toNanos() - 1);
    sync.pipeline.flushAged();
    assertThat(sync.pipeline.bufferedRecords(USERS)).isEqualTo(1);
    assertThat(sync.loader(USERS).batches()).isEmpty();
    assertThat(sync.states).isEmpty();

    in.end();
    run.get(20, TimeUnit.SECONDS);
    assertThat(sync.stateCursors()).containsExactly("c1");
  }

  @Test
  void aTinyMemoryBudgetStillWritesEveryRecordAndEmitsEveryState() {
    Sync sync = new Sync(new PipelineSettings(2, 1L << 30, 1_000_000, Duration.ofSeconds(30), 2_000));
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      lines.add(i % 3 == 0 ? order(i) : user(i));
      if (i % 50 == 0) {
        lines.add(usersState("u" + i));
        lines.add(ordersState("o" + i));
      }
    }

    SyncResult result = sync.run(lines.toArray(new String[0]));

    assertThat(result.failure()).isNull();
    assertThat(result.records()).isEqualTo(500);
    assertThat(sync.loader(USERS).rows().size() + sync.loader(ORDERS).rows().size()).isEqualTo(500);
    assertThat(ids(sync.loader(USERS))).isSorted().doesNotHaveDuplicates();
    assertThat(sync.loader(USERS).batches().size()).as("back-pressure flushed early").isGreaterThan(10);
    assertThat(sync.states).hasSize(20);
    assertThat(sync.states.stream().mapToDouble(WritePipelineTest::recordCount).sum()).isEqualTo(500.0);
  }

  @Test
  void statesWaitingForTheirRecordsCountInTheMemoryCapAndAllAreEmitted() {
    long cap = 64 << 10;
    // Only the memory cap can flush: no record count, byte size or age is ever reached.
    Sync sync = new Sync(new PipelineSettings(2, 1L << 30, 1_000_000, Duration.ofHours(1), cap));
    String padding = "p".repeat(600);
    int stateLength = usersState(padding + 0).length();
    assertThat(stateLength).isGreaterThan(600);
    AtomicInteger mostStatesHeld = new AtomicInteger();
    sync.loader(USERS).beforeEachWrite(batch -> mostStatesHeld.accumulateAndGet(sync.tracker.pendingCount(), Math::max));
    List<String> lines = new ArrayList<>();
    List<String> cursors = new ArrayList<>();
    for (int i = 1; i <= 2_000; i++) {
      lines.add(user(i));
      lines.add(usersState(padding + i));
      cursors.add(padding + i);
    }

    SyncResult result = sync.run(lines.toArray(new String[0]));

    assertThat(result.failure()).isNull();
    assertThat(ids(sync.loader(USERS))).hasSize(2_000).isSorted().doesNotHaveDuplicates();
    assertThat(sync.stateCursors()).containsExactlyElementsOf(cursors);
    assertThat(sync.states).extracting(WritePipelineTest::recordCount).containsOnly(1.0);
    assertThat(sync.tracker.heldBytes()).isZero();
    // Each held state takes at least its line's bytes: the states held never exceeded the cap.
    assertThat((long) mostStatesHeld.get() * stateLength).isLessThanOrEqualTo(cap);
    assertThat(sync.loader(USERS).batches().size()).as("flushed early to let states go").isGreaterThan(20);
  }

  @Test
  void aLineOverTheMaximumFailsTheSyncNamingItAfterCommittingTheLinesBeforeIt() {
    Sync sync = new Sync(SETTINGS.withMaxLineBytes(1_000));
    SyncResult result =
        sync.run(
            user(1),
            usersState("c1"),
            user(2),
            usersState("c2"),
            record("users", "{\"id\":3,\"name\":\"" + "n".repeat(1_000) + "\"}"),
            user(4),
            usersState("c4"),
            status(null, "users", "COMPLETE"));

    assertThat(result.failure())
        .isInstanceOf(InputException.class)
        .hasMessageContaining("Line 5 of the input is longer than the maximum of 1000 bytes")
        .hasMessageContaining("destkit.line.mb");
    assertThat(ids(sync.loader(USERS))).containsExactly(1L, 2L);
    assertThat(sync.stateCursors()).containsExactly("c1", "c2");
    assertThat(sync.loader(USERS).closedWith()).isFalse();
  }

  // --- nesting -------------------------------------------------------------------------------

  private static String nested(int depth) {
    return "{\"k\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  @Test
  void valuesNestedBeyondTheLimitAreNulledAsTooLargeAndTheSyncGoesOn() {
    int limit = JsonConfiguration.MAX_VALUE_DEPTH;
    Sync sync = new Sync();
    SyncResult result =
        sync.run(
            record("users", "{\"id\":1,\"address\":" + nested(1_500) + "}"),
            record("users", "{\"id\":2,\"address\":" + nested(limit) + "}"),
            record("users", "{\"id\":3,\"address\":" + nested(limit + 1) + ",\"name\":\"after\"}"),
            record("users", "{\"id\":4,\"address\":" + nested(20_000) + ",\"undeclared\":" + nested(20_000) + "}"),
            record("blobs", nested(1_500)),
            record("blobs", nested(20_000)),
            usersState("c1"),
            status(null, "users", "COMPLETE"));

    assertThat(result.failure()).isNull();
    RecordingLoader users = sync.loader(USERS);
    assertThat(users.values()).extracting(values -> values.get("address"))
        .containsExactly(nested(1_500), nested(limit), null, null);
    assertThat(users.values().get(2)).containsEntry("name", "after");
    String tooDeep = "[{\"field\":\"address\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"}]";
    assertThat(users.rows()).extracting(Row::changes).containsExactly(null, null, tooDeep, tooDeep);
    assertThat(sync.pipeline.stats(USERS).nulledValues()).isEqualTo(2);

    RecordingLoader blobs = sync.loader(BLOBS);
    assertThat(blobs.values()).extracting(values -> values.get("_airbyte_data")).containsExactly(nested(1_500), null);
    assertThat(blobs.rows().get(1).changes())
        .isEqualTo("[{\"field\":\"_airbyte_data\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"}]");
    assertThat(sync.stateCursors()).containsExactly("c1");
  }

  // --- end of input --------------------------------------------------------------------------

  @Test
  void loadersAreClosedCompleteOnlyForStreamsWhoseSourceSentStreamStatusComplete() {
    Sync sync = new Sync();
    SyncResult result =
        sync.run(
            user(1),
            status(null, "users", "STARTED"),
            status(null, "users", "COMPLETE"),
            status("ns2", "items", "COMPLETE"),
            status("ns1", "items", "COMPLETE"),
            status("ns1", "items", "INCOMPLETE"),
            status(null, "items", "RUNNING"));

    assertThat(result.failure()).isNull();
    assertThat(sync.loaders).extracting(RecordingLoader::closedWith)
        .containsExactly(true, false, false, true, false, false);
    assertThat(sync.loaders).allSatisfy(loader -> assertThat(loader.closeCount()).isEqualTo(1));
    assertThat(result.incompleteStreams()).containsExactly("sales.orders", "ns1.items", "items", "blobs");
  }

  @Test
  void loadersAreClosedAfterTheirLastWrite() {
    Sync sync = new Sync(SETTINGS.withBatchRecords(1));
    sync.run(user(1), user(2), user(3), status(null, "users", "COMPLETE"));

    assertThat(sync.loader(USERS).rows()).hasSize(3);
    assertThat(sync.loader(USERS).closedWith()).isTrue();
  }
}
