package io.destkit.core.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.InputException;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.naming.TestRules;
import io.destkit.core.state.SocketStateTracker;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.core.write.Row;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.DataChannel;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.NamespaceMapping;
import io.destkit.protocol.StreamDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write pipeline over the socket data channel, in process: real Unix domain sockets a small
 * server in the test binds, as the platform's source does, and {@link RecordingLoader}s.
 */
@Timeout(60)
class SocketPipelineTest {
  private static final int USERS = 0;
  private static final int ORDERS = 1;
  private static final PipelineSettings SETTINGS =
      new PipelineSettings(2, 1 << 20, 10_000, Duration.ofSeconds(30), 64L << 20);

  @TempDir Path dir;

  /** One sync over sockets: the catalog, a loader per stream, what was emitted and checkpointed. */
  private final class Sync {
    final DestinationCatalog catalog;
    final TableCatalog tables;
    final List<RecordingLoader> loaders = new ArrayList<>();
    final List<ObjectNode> states = new CopyOnWriteArrayList<>();
    final List<ObjectNode> progress = new CopyOnWriteArrayList<>();
    final List<Map<Integer, CheckpointStore.Coverage>> checkpoints = new CopyOnWriteArrayList<>();
    final SocketStateTracker tracker;
    final WritePipeline pipeline;

    Sync(DestinationCatalog catalog) {
      this.catalog = catalog;
      tables = TableCatalog.build(catalog, new NamingPolicy(TestRules.lowerCase255(), "main", null));
      for (int i = 0; i < catalog.size(); i++) {
        loaders.add(new RecordingLoader(tables.get(i)));
      }
      CheckpointStore store = new CheckpointStore() {
        @Override
        public List<Optional<Checkpoint>> load() {
          return List.of();
        }

        @Override
        public void begin(RawId floor) {
        }

        @Override
        public void advance(Map<Integer, RawId> marks) {
          throw new AssertionError("the socket tracker records coverage, not bare marks");
        }

        @Override
        public void advanceCoverage(Map<Integer, Coverage> coverage) {
          checkpoints.add(Map.copyOf(coverage));
        }

        @Override
        public void finish(RawId end) {
        }
      };
      tracker = new SocketStateTracker(catalog, states::addAll, store, RawId.firstOf(0));
      pipeline = new WritePipeline(catalog, tables, new StreamLoaders(List.copyOf(loaders), tables, 2), tracker, ValueLimits.NONE,
          SETTINGS, RawId.firstOf(0));
    }

    Sync() {
      this(DestinationCatalog.from(ConfiguredCatalog.fromJson(resource("pipeline/catalog.json"))));
    }

    SyncResult run(DataChannel.Format format, List<byte[]> sockets) throws Exception {
      List<Path> paths = new ArrayList<>();
      for (int i = 0; i < sockets.size(); i++) {
        paths.add(dir.resolve("airbyte_socket_" + (i + 1) + ".sock"));
      }
      try (UnixSocketSource source = new UnixSocketSource(paths, sockets)) {
        SyncResult result = pipeline.run(paths, format, Duration.ofSeconds(20), progress::addAll);
        if (result.failure() == null) {
          source.awaitWritten();
        } else {
          source.awaitEnded();
        }
        return result;
      }
    }

    List<Long> emittedIds() {
      return states.stream().map(state -> state.path("state").path("id").asLong()).toList();
    }
  }

  private static String user(int id, String partition) {
    return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"emitted_at\":1700000000000,\"partition_id\":\""
        + partition + "\",\"data\":{\"id\":" + id + ",\"name\":\"u" + id + "\"}}}";
  }

  private static String userState(long id, String partition, long count) {
    return "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\"},"
        + "\"stream_state\":{\"cursor\":" + id + "}},\"id\":" + id + ",\"partition_id\":\"" + partition + "\","
        + "\"sourceStats\":{\"recordCount\":" + count + ".0}}}";
  }

  private static String complete(String stream, String namespace) {
    return "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1,\"stream_status\":{"
        + "\"stream_descriptor\":{\"name\":\"" + stream + "\"" + (namespace == null ? "" : ",\"namespace\":\"" + namespace
        + "\"") + "},\"status\":\"COMPLETE\"}}}";
  }

  private static byte[] lines(String... lines) {
    return (String.join("\n", lines) + "\n").getBytes(UTF_8);
  }

  private static List<String> users(int from, int to, String partition) {
    List<String> lines = new ArrayList<>();
    for (int id = from; id <= to; id++) {
      lines.add(user(id, partition));
    }
    return lines;
  }

  private static byte[] lines(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return lines(all.toArray(String[]::new));
  }

  @Test
  void jsonlOverThreeSocketsEchoesStatesInIdOrderWithCumulativeCounts() throws Exception {
    Sync sync = new Sync();
    // State 3 arrives first (socket 3 is short), state 1 last: the echo waits and follows the ids.
    byte[] one = lines(users(1, 300, "p-1"), userState(1, "p-1", 300), complete("users", null));
    byte[] two = lines(users(301, 500, "p-2"), userState(2, "p-2", 200));
    byte[] three = lines(users(501, 504, "p-3"), userState(3, "p-3", 4));

    SyncResult result = sync.run(DataChannel.Format.JSONL, List.of(one, two, three));

    assertThat(result.failure()).isNull();
    assertThat(result.records()).isEqualTo(504);
    assertThat(sync.emittedIds()).containsExactly(1L, 2L, 3L);
    assertThat(sync.states).extracting(state -> state.path("state").path("destinationStats").path("recordCount")
        .asDouble()).containsExactly(300.0, 200.0, 4.0);
    assertThat(sync.states).extracting(state -> state.path("state").path("committedRecordsCount").asLong())
        .containsExactly(300L, 500L, 504L);
    long bytesOfFirst = users(1, 300, "p-1").stream().mapToLong(line -> line.getBytes(UTF_8).length).sum();
    assertThat(sync.states.get(0).path("state").path("committedBytesCount").asLong()).isEqualTo(bytesOfFirst);
    assertThat(sync.states.get(0).path("state").path("partition_id").asText()).isEqualTo("p-1");
    assertThat(sync.states.get(0).path("state").has("rejectedRecordsCount")).isFalse();
    List<Row> rows = sync.loaders.get(USERS).rows();
    assertThat(rows).hasSize(504);
    assertThat(rows.stream().map(Row::rawId).distinct().count()).isEqualTo(504);
    assertThat(sync.loaders.get(USERS).values().stream().map(values -> ((Number) values.get("id")).intValue())
        .distinct().count()).isEqualTo(504);
    assertThat(sync.loaders.get(USERS).closedWith()).isTrue();
    assertThat(sync.progress).anySatisfy(record -> {
      assertThat(record.path("record").path("isDummyStatsMessage").asBoolean()).isTrue();
      assertThat(record.path("record").path("stream").asText()).isEqualTo("users");
      assertThat(record.path("record").path("emittedRecordsCount").asLong()).isEqualTo(504);
      assertThat(record.path("record").path("data").isObject()).isTrue();
    });
  }

  @Test
  void everyEmittedStateCoversExactlyItsOwnRowsInTheCheckpoint() throws Exception {
    Sync sync = new Sync();
    // Partition p-2's state (id 1) arrives; p-1's never does: its rows are committed but uncovered.
    byte[] one = lines(users(1, 2000, "p-1"));
    byte[] two = lines(users(2001, 2100, "p-2"), userState(1, "p-2", 100));

    SyncResult result = sync.run(DataChannel.Format.JSONL, List.of(one, two));

    assertThat(result.failure()).isNull();
    assertThat(sync.emittedIds()).containsExactly(1L);
    assertThat(sync.checkpoints).isNotEmpty();
    CheckpointStore.Coverage coverage = sync.checkpoints.get(sync.checkpoints.size() - 1).get(USERS);
    Map<Integer, RawId> idsByUser = new LinkedHashMap<>();
    RecordingLoader loader = sync.loaders.get(USERS);
    for (Row row : loader.rows()) {
      idsByUser.put(((Number) loader.valuesOf(row).get("id")).intValue(), RawId.parse(row.rawId().toString()));
    }
    assertThat(idsByUser).hasSize(2100);
    idsByUser.forEach((user, rawId) -> {
      boolean covered = rawId.compareTo(coverage.mark()) <= 0
          || coverage.keptAbove().stream().anyMatch(range -> range.contains(rawId));
      assertThat(covered).as("user " + user + " covered").isEqualTo(user > 2000);
    });
    assertThat(sync.loaders.get(USERS).closedWith()).isFalse();
  }

  @Test
  void aStateWhoseRecordsNeverAllArriveFailsTheSyncNamingIt() throws Exception {
    Sync sync = new Sync();
    byte[] one = lines(users(1, 10, "p-1"), userState(1, "p-1", 10), complete("users", null));
    // The source counted 5 records for p-2, but the socket closed after 3.
    byte[] two = lines(users(11, 13, "p-2"), userState(2, "p-2", 5));

    SyncResult result = sync.run(DataChannel.Format.JSONL, List.of(one, two));

    assertThat(sync.emittedIds()).containsExactly(1L);
    assertThat(result.failure()).isInstanceOf(InputException.class);
    assertThat(result.failure().getMessage())
        .contains("stream 'users'", "id 2", "partition p-2", "counts 5 records, but 3 arrived");
    assertThat(sync.loaders.get(USERS).closedWith()).as("not finalised as complete").isFalse();
  }

  @Test
  void aMissingStateIdHoldsBackTheLaterOnesAndIsNamed() throws Exception {
    Sync sync = new Sync();
    byte[] one = lines(users(1, 10, "p-1"), userState(1, "p-1", 10));
    byte[] two = lines(users(11, 20, "p-3"), userState(3, "p-3", 10));

    SyncResult result = sync.run(DataChannel.Format.JSONL, List.of(one, two));

    assertThat(sync.emittedIds()).containsExactly(1L);
    assertThat(result.failure().getMessage()).contains("the state with id 2 never arrived");
  }

  @Test
  void protobufRecordsOverTwoSocketsLandInTheirColumns() throws Exception {
    Sync sync = new Sync();
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    for (int i = 0; i < 50; i++) {
      frame(one, order("q-1", 1.5 + i, i));
      frame(two, order("q-2", 100.25 + i, 1000 + i));
      if (i % 10 == 0) {
        frame(one, probe());
      }
    }
    frame(one, json(orderState(1, "q-1", 50)));
    frame(two, json(orderState(2, "q-2", 50)));
    frame(two, json(complete("orders", "sales")));

    SyncResult result = sync.run(DataChannel.Format.PROTOBUF, List.of(one.toByteArray(), two.toByteArray()));

    assertThat(result.failure()).isNull();
    assertThat(sync.emittedIds()).containsExactly(1L, 2L);
    List<Map<String, Object>> values = sync.loaders.get(ORDERS).values();
    assertThat(values).hasSize(100);
    assertThat(values).anySatisfy(row -> {
      assertThat(((Number) row.get("id")).longValue()).isEqualTo(1007);
      assertThat(((Number) row.get("amount")).doubleValue()).isEqualTo(107.25);
    });
    assertThat(sync.loaders.get(ORDERS).closedWith()).isTrue();
  }

  @Test
  void aMalformedFrameFailsTheSyncNamingTheSocketAndMessage() throws Exception {
    Sync sync = new Sync();
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    frame(one, order("q-1", 1, 1));
    one.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    frame(two, order("q-2", 2, 2));

    SyncResult result = sync.run(DataChannel.Format.PROTOBUF, List.of(one.toByteArray(), two.toByteArray()));

    assertThat(result.failure()).isInstanceOf(InputException.class);
    assertThat(result.failure().getMessage()).contains("airbyte_socket_1.sock", "frame 2", "varint");
    assertThat(sync.states).isEmpty();
  }

  @Test
  void aRecordWithoutPartitionIdIsRefusedNamingItsLine() throws Exception {
    Sync sync = new Sync();
    byte[] one = lines("{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"emitted_at\":1,\"data\":{\"id\":1}}}");

    SyncResult result = sync.run(DataChannel.Format.JSONL, List.of(one));

    assertThat(result.failure().getMessage()).contains("Line 1 of the socket", "has no partition_id");
  }

  @Test
  void theNamespaceMappingSendsStreamsToTheirMappedTablesWhileMessagesKeepTheSourceNames() throws Exception {
    DestinationCatalog source = DestinationCatalog.from(ConfiguredCatalog.fromJson(resource("pipeline/catalog.json")));
    DestinationCatalog mapped = source.mapped(
        new NamespaceMapping(NamespaceMapping.Definition.CUSTOM_FORMAT, "dest_${SOURCE_NAMESPACE}", "pre_")::apply);
    assertThatThrownBy(() -> source.mapped(stream -> new StreamDescriptor("dest", stream.name())))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("'ns1.items' and 'ns2.items' both to 'dest.items'");
    Sync sync = new Sync(mapped);
    byte[] one = lines(users(1, 5, "p-1"), userState(1, "p-1", 5), complete("users", null));

    SyncResult result = sync.run(DataChannel.Format.JSONL, List.of(one));

    assertThat(result.failure()).isNull();
    assertThat(sync.tables.get(USERS).finalTable().namespace()).isEqualTo("dest_");
    assertThat(sync.tables.get(ORDERS).finalTable().namespace()).isEqualTo("dest_sales");
    assertThat(sync.tables.get(USERS).finalTable().name()).isEqualTo("pre_users");
    assertThat(sync.loaders.get(USERS).rows()).hasSize(5);
    assertThat(sync.states.get(0).path("state").path("stream").path("stream_descriptor").path("name").asText())
        .as("the echo names the stream as the source did").isEqualTo("users");
  }

  private static String orderState(long id, String partition, long count) {
    return "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"orders\","
        + "\"namespace\":\"sales\"},\"stream_state\":{\"cursor\":" + id + "}},\"id\":" + id + ",\"partition_id\":\""
        + partition + "\",\"sourceStats\":{\"recordCount\":" + count + "}}}";
  }

  /** An orders record: its values in property name order (amount, id). */
  private static byte[] order(String partition, double amount, long id) throws IOException {
    byte[] amountValue = bytes(out -> out.writeDouble(5, amount));
    byte[] idValue = bytes(out -> out.writeSInt64(3, id));
    byte[] record = bytes(out -> {
      out.writeString(1, "sales");
      out.writeString(2, "orders");
      out.writeUInt64(3, 1_700_000_000_000L);
      out.writeString(4, partition);
      out.writeByteArray(5, amountValue);
      out.writeByteArray(5, idValue);
    });
    return bytes(out -> out.writeByteArray(1, record));
  }

  private static byte[] json(String message) throws IOException {
    return bytes(out -> out.writeString(2, message));
  }

  private static byte[] probe() throws IOException {
    return bytes(out -> out.writeByteArray(3, new byte[0]));
  }

  private static void frame(ByteArrayOutputStream into, byte[] message) throws IOException {
    CodedOutputStream out = CodedOutputStream.newInstance(into);
    out.writeUInt32NoTag(message.length);
    out.writeRawBytes(message);
    out.flush();
  }

  private interface Writes {
    void to(CodedOutputStream out) throws IOException;
  }

  private static byte[] bytes(Writes writes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writes.to(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static JsonNode resource(String name) {
    try (InputStream in = SocketPipelineTest.class.getResourceAsStream("/" + name)) {
      return MessageCodec.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
