package io.destkit.testkit.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.DataChannel;
import io.destkit.protocol.DataChannel.Format;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.protocol.UnixSockets;
import io.destkit.testkit.socket.SocketClient.Received;
import io.destkit.testkit.socket.SocketScript.ExpectedState;
import io.destkit.testkit.socket.SocketSource.State;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SocketSourceTest {
  private static final Duration SERVED_TIMEOUT = Duration.ofSeconds(20);

  /** Under /tmp, not the build directory: socket paths are limited to 107 bytes. */
  private Path dir;

  @BeforeEach
  void createDirectory() throws IOException {
    dir = Files.createTempDirectory(Path.of("/tmp"), "socksrc");
  }

  @AfterEach
  void deleteDirectory() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static Path fixture(String name) {
    try {
      return Path.of(SocketSourceTest.class.getResource("/io/destkit/testkit/e2e/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Arguments> formatsAndSockets() {
    return List.of(
        Arguments.of(Format.JSONL, 1), Arguments.of(Format.JSONL, 3),
        Arguments.of(Format.PROTOBUF, 1), Arguments.of(Format.PROTOBUF, 3));
  }

  /** Serves the script, reads every socket back as a destination would, and decodes it. */
  private List<List<Received>> serveAndRead(SocketScript script) throws Exception {
    List<List<Received>> sockets = new ArrayList<>();
    try (SocketSource source = SocketSource.start(dir, script)) {
      List<byte[]> contents = SocketClient.readAll(source);
      source.requireServed(SERVED_TIMEOUT);
      for (int s = 0; s < contents.size(); s++) {
        assertThat(contents.get(s)).as("socket " + (s + 1) + " bytes").isEqualTo(script.bytes(s + 1));
        sockets.add(SocketClient.decode(s + 1, contents.get(s), script.format()));
      }
    }
    return sockets;
  }

  private static String recordKey(Received r) {
    if (r.record() != null) {
      return r.record().stream() + ":" + r.record().emittedAt();
    }
    return r.json().path("record").path("stream").asText() + ":" + r.json().path("record").path("emitted_at").asLong();
  }

  private static List<String> inputRecordKeys(Path messages) throws IOException {
    List<String> keys = new ArrayList<>();
    for (String line : Files.readAllLines(messages)) {
      JsonNode message = SocketScript.JSON.readTree(line);
      if (message.path("type").asText().equals("RECORD")) {
        keys.add(message.path("record").path("stream").asText() + ":" + message.path("record").path("emitted_at").asLong());
      }
    }
    return keys;
  }

  /**
   * The checks every served script passes: each socket's partitions are contiguous and each
   * partition's state follows its records on its socket with their count; states ids as scripted;
   * stream statuses last on socket 1.
   */
  private static void assertPartitionsAndStates(SocketScript script, List<List<Received>> sockets) {
    Map<String, Integer> socketOfPartition = new HashMap<>();
    Map<String, Long> recordsOfPartition = new HashMap<>();
    List<ObjectNode> states = new ArrayList<>();
    for (List<Received> socket : sockets) {
      Set<String> finished = new HashSet<>();
      String current = null;
      for (Received r : socket) {
        if (r.kind().equals("PROBE") || r.kind().equals("TRACE")) {
          continue;
        }
        String partition = r.partitionId();
        assertThat(partition).as("partition_id of " + r).isNotBlank();
        if (!partition.equals(current)) {
          assertThat(finished).as("partition " + partition + " is contiguous on socket " + r.socket()).doesNotContain(partition);
          if (current != null) {
            finished.add(current);
          }
          current = partition;
        }
        Integer before = socketOfPartition.putIfAbsent(partition, r.socket());
        assertThat(before == null || before == r.socket()).as("partition " + partition + " on one socket").isTrue();
        if (r.kind().equals("RECORD")) {
          assertThat(states.stream().map(s -> s.path("state").path("partition_id").asText()))
              .as("no record of partition " + partition + " after its state").doesNotContain(partition);
          recordsOfPartition.merge(partition, 1L, Long::sum);
        } else {
          assertThat(r.kind()).isEqualTo("STATE");
          assertThat(r.json().path("state").path("sourceStats").path("recordCount").isFloatingPointNumber())
              .as("recordCount with a decimal point in " + r.json()).isTrue();
          assertThat(r.json().path("state").path("sourceStats").path("recordCount").asLong())
              .as("recordCount of " + r.json()).isEqualTo(recordsOfPartition.getOrDefault(partition, 0L));
          states.add(r.json());
        }
      }
    }
    // The states as scripted, each on its socket, with its id and count.
    for (ExpectedState expected : script.states()) {
      ObjectNode sent = states.stream()
          .filter(s -> s.path("state").path("partition_id").asText().equals(expected.partitionId()))
          .findFirst().orElseThrow(() -> new AssertionError("state of partition " + expected.partitionId()));
      assertThat(sent).isEqualTo(expected.message());
      assertThat(sent.path("state").path("id").asInt()).isEqualTo(expected.id());
      assertThat(socketOfPartition.get(expected.partitionId())).isEqualTo(expected.socket());
      assertThat(recordsOfPartition.getOrDefault(expected.partitionId(), 0L)).isEqualTo(expected.recordCount());
    }
    assertThat(states).hasSameSizeAs(script.states());
    // Partition ids: unique, random-looking.
    assertThat(new HashSet<>(socketOfPartition.keySet())).hasSameSizeAs(socketOfPartition.keySet());
    socketOfPartition.keySet().forEach(id -> assertThat(id).matches("[a-z0-9]{16}"));
    // Stream statuses: socket 1, after everything else on it.
    List<Received> first = sockets.get(0);
    int lastOther = -1;
    int firstTrace = Integer.MAX_VALUE;
    for (int i = 0; i < first.size(); i++) {
      if (first.get(i).kind().equals("TRACE")) {
        firstTrace = Math.min(firstTrace, i);
      } else if (!first.get(i).kind().equals("PROBE")) {
        lastOther = i;
      }
    }
    assertThat(lastOther).as("stream statuses after everything else on socket 1").isLessThan(firstTrace);
    for (int s = 1; s < sockets.size(); s++) {
      assertThat(sockets.get(s)).noneMatch(r -> r.kind().equals("TRACE"));
    }
  }

  @ParameterizedTest(name = "{0} over {1} socket(s)")
  @MethodSource("formatsAndSockets")
  void streamStatesArriveWithTheirPartitionsAndEveryRecordOnce(Format format, int sockets) throws Exception {
    Path messages = fixture("stream_states_interleaved.jsonl");
    SocketScript script = SocketScript.builder(fixture("two_streams_catalog.json"), format).sockets(sockets)
        .probeEvery(2).build(messages);
    List<List<Received>> received = serveAndRead(script);

    List<String> keys = received.stream().flatMap(List::stream).filter(r -> r.kind().equals("RECORD"))
        .map(SocketSourceTest::recordKey).toList();
    assertThat(keys).as("every record exactly once").containsExactlyInAnyOrderElementsOf(inputRecordKeys(messages));
    assertPartitionsAndStates(script, received);
    assertThat(received.stream().flatMap(List::stream).filter(r -> r.kind().equals("PROBE"))).isNotEmpty();

    // STREAM state ids count per stream; the state after no new record has a partition of 0.
    StreamDescriptor orders = new StreamDescriptor(null, "orders");
    StreamDescriptor customers = new StreamDescriptor("crm", "customers");
    assertThat(script.expectedEcho()).extracting(ExpectedState::stream, ExpectedState::id, ExpectedState::recordCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(orders, 1, 2L),
            org.assertj.core.groups.Tuple.tuple(customers, 1, 1L),
            org.assertj.core.groups.Tuple.tuple(customers, 2, 2L),
            org.assertj.core.groups.Tuple.tuple(orders, 2, 1L),
            org.assertj.core.groups.Tuple.tuple(orders, 3, 0L));
    // Dealt in turn: with 3 sockets, the five partitions are on sockets 1, 2, 3, 1, 2.
    assertThat(script.states()).extracting(ExpectedState::socket)
        .containsExactlyElementsOf(sockets == 1 ? List.of(1, 1, 1, 1, 1) : List.of(1, 2, 3, 1, 2));
  }

  @ParameterizedTest(name = "{0} over {1} socket(s)")
  @MethodSource("formatsAndSockets")
  void globalStatesCoverEveryStreamSinceTheLastState(Format format, int sockets) throws Exception {
    Path messages = fixture("global_states_interleaved.jsonl");
    SocketScript script = SocketScript.builder(fixture("two_streams_catalog.json"), format).sockets(sockets)
        .build(messages);
    List<List<Received>> received = serveAndRead(script);

    List<String> keys = received.stream().flatMap(List::stream).filter(r -> r.kind().equals("RECORD"))
        .map(SocketSourceTest::recordKey).toList();
    assertThat(keys).containsExactlyInAnyOrderElementsOf(inputRecordKeys(messages));
    assertPartitionsAndStates(script, received);
    assertThat(script.states()).extracting(ExpectedState::stream, ExpectedState::id, ExpectedState::recordCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, 1, 2L),
            org.assertj.core.groups.Tuple.tuple(null, 2, 3L),
            org.assertj.core.groups.Tuple.tuple(null, 3, 0L));
    // The last record has no state after it: it is sent, in a partition of its own.
    Set<String> statePartitions = new HashSet<>();
    script.states().forEach(s -> statePartitions.add(s.partitionId()));
    assertThat(script.records()).filteredOn(r -> !statePartitions.contains(r.path("record").path("partition_id").asText()))
        .extracting(r -> r.path("record").path("data").path("id").asText()).containsExactly("c3");
    // The GLOBAL state carries the fields on its outer state object.
    ObjectNode state = script.states().get(1).message();
    assertThat(state.path("state").path("type").asText()).isEqualTo("GLOBAL");
    assertThat(state.path("state").path("id").asInt()).isEqualTo(2);
    assertThat(state.path("state").path("sourceStats").path("recordCount").asDouble()).isEqualTo(3.0);
  }

  /** The typing-deduping vector (sync1), one stream, states after the second and last records. */
  private static List<JsonNode> dedupeVectorMessages() throws IOException {
    List<JsonNode> messages = new ArrayList<>();
    int records = 0;
    Path file = io.destkit.testkit.Vectors.path("airbyte/typing_deduping/dat/sync1_messages.jsonl");
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("//")) {
        continue;
      }
      ObjectNode message = (ObjectNode) SocketScript.JSON.readTree(line);
      ((ObjectNode) message.get("record")).put("namespace", "dat").put("stream", "users");
      messages.add(message);
      if (++records == 2) {
        messages.add(streamState(records));
      }
    }
    messages.add(streamState(records));
    messages.add(SocketScript.JSON.readTree("{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":2000,"
        + "\"stream_status\":{\"stream_descriptor\":{\"namespace\":\"dat\",\"name\":\"users\"},\"status\":\"COMPLETE\"}}}"));
    return messages;
  }

  private static ObjectNode streamState(int position) throws IOException {
    return (ObjectNode) SocketScript.JSON.readTree("{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{"
        + "\"stream_descriptor\":{\"namespace\":\"dat\",\"name\":\"users\"},\"stream_state\":{\"position\":" + position
        + "}}}}");
  }

  static ConfiguredCatalog dedupeVectorCatalog() {
    ObjectNode catalog = SocketScript.JSON.createObjectNode();
    ObjectNode stream = catalog.putArray("streams").addObject();
    stream.putObject("stream").put("name", "users").put("namespace", "dat")
        .set("json_schema", io.destkit.testkit.Vectors.json("airbyte/typing_deduping/dat/schema.json"));
    stream.put("sync_mode", "incremental").put("destination_sync_mode", "append");
    return ConfiguredCatalog.fromJson(catalog);
  }

  @Test
  void theDedupeVectorArrivesAsPositionalProtobufRecords() throws Exception {
    SocketScript script = SocketScript.builder(dedupeVectorCatalog(), Format.PROTOBUF).sockets(2)
        .build(dedupeVectorMessages());
    List<List<Received>> received = serveAndRead(script);
    assertPartitionsAndStates(script, received);

    List<SocketClient.DecodedRecord> records = received.stream().flatMap(List::stream)
        .filter(r -> r.kind().equals("RECORD")).map(Received::record).toList();
    assertThat(records).hasSize(5);
    assertThat(script.states()).extracting(ExpectedState::recordCount).containsExactly(2L, 3L);
    // Sorted properties: _ab_cdc_deleted_at, address, age, id1, id2, name, registration_date, updated_at.
    SocketClient.DecodedRecord alice = records.get(0);
    assertThat(alice.namespace()).isEqualTo("dat");
    assertThat(alice.stream()).isEqualTo("users");
    assertThat(alice.emittedAt()).isEqualTo(1000);
    assertThat(alice.values()).extracting(SocketClient.DecodedValue::valueCase).containsExactly(
        null, ValueCase.JSON, null, ValueCase.INTEGER, ValueCase.INTEGER, ValueCase.STRING, null,
        ValueCase.TIMESTAMP_WITH_TIMEZONE);
    assertThat(alice.values()).extracting(SocketClient.DecodedValue::value).containsExactly(
        null, "{\"city\":\"San Francisco\",\"state\":\"CA\"}", null, 1L, 200L, "Alice", null,
        java.time.OffsetDateTime.parse("2000-01-01T00:00:00Z"));
    assertThat(alice.changes()).isEmpty();
    SocketClient.DecodedRecord charlie = records.stream().filter(r -> "Charlie".equals(r.values().get(5).value()))
        .findFirst().orElseThrow();
    assertThat(charlie.values().get(2)).isEqualTo(new SocketClient.DecodedValue(ValueCase.INTEGER, 42L));
    assertThat(charlie.values().get(6)).isEqualTo(new SocketClient.DecodedValue(ValueCase.DATE,
        java.time.LocalDate.parse("2023-12-23")));
    // The source's change: address NULLED (0) SOURCE_RETRIEVAL_ERROR (9).
    assertThat(charlie.changes()).containsExactly(new SocketClient.DecodedChange("address", 0, 9));
    SocketClient.DecodedRecord special = records.get(4);
    assertThat(special.values().get(5).value()).isEqualTo("a\bb\fc\nd\re\tf`~!@#$%^&*()_+-=[]\\{}|'\",./<>?");
  }

  @Test
  void aDelayedBindIsWaitedForByTheDestinationsConnect() throws Exception {
    SocketScript script = SocketScript.builder(dedupeVectorCatalog(), Format.JSONL).sockets(2)
        .build(dedupeVectorMessages());
    Duration delay = Duration.ofMillis(800);
    try (SocketSource source = SocketSource.start(dir, script, delay)) {
      assertThat(source.reports()).extracting(SocketSource.Report::state).containsOnly(State.WAITING);
      assertThat(source.paths().get(0)).doesNotExist();
      long start = System.nanoTime();
      byte[] first = SocketClient.readAll(source.paths().get(0));
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(waitedMillis).as("connect waited for the bind").isGreaterThanOrEqualTo(delay.toMillis() - 100);
      assertThat(first).isEqualTo(script.bytes(1));
      assertThat(SocketClient.readAll(source.paths().get(1))).isEqualTo(script.bytes(2));
      source.requireServed(SERVED_TIMEOUT);
    }
  }

  @Test
  void aSpawnedProcessReadsTheSocketsItsEnvironmentNames() throws Exception {
    SocketScript script = SocketScript.builder(fixture("two_streams_catalog.json"), Format.PROTOBUF).sockets(3)
        .build(fixture("stream_states_interleaved.jsonl"));
    try (SocketSource source = SocketSource.start(dir, script, Duration.ofMillis(300))) {
      ProcessBuilder builder = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
          SocketReaderProcess.class.getName());
      builder.environment().putAll(source.environment());
      builder.redirectErrorStream(true);
      Process process = builder.start();
      // Its stdin stays open and empty, as in socket mode: the reader must not wait on it.
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      process.getOutputStream().close();
      assertThat(process.exitValue()).as(output).isZero();
      List<String> expected = new ArrayList<>();
      for (int s = 1; s <= 3; s++) {
        byte[] bytes = script.bytes(s);
        expected.add("PROTOBUF " + bytes.length + " " + java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
      }
      assertThat(output.lines()).containsExactlyElementsOf(expected);
      source.requireServed(SERVED_TIMEOUT);
    }
  }

  @Test
  void theEnvironmentDescribesTheSocketsAsTheDestinationReadsIt() {
    SocketScript script = SocketScript.builder(dedupeVectorCatalog(), Format.PROTOBUF).sockets(3)
        .build(List.of());
    try (SocketSource source = SocketSource.start(dir, script)) {
      Map<String, String> environment = source.environment();
      assertThat(environment).containsEntry("DATA_CHANNEL_MEDIUM", "SOCKET")
          .containsEntry("DATA_CHANNEL_FORMAT", "PROTOBUF")
          .containsEntry("DATA_CHANNEL_SOCKET_PATHS", dir.toAbsolutePath() + "/airbyte_socket_1.sock,"
              + dir.toAbsolutePath() + "/airbyte_socket_2.sock," + dir.toAbsolutePath() + "/airbyte_socket_3.sock");
      assertThat(DataChannel.fromEnvironment(environment)).isEqualTo(source.dataChannel());
    }
  }

  @Test
  void aDestinationThatClosesEarlyIsAWriteErrorRecordedNotThrown() throws Exception {
    byte[] large = new byte[16 * 1024 * 1024];
    try (SocketSource source = SocketSource.start(dir, Format.JSONL, List.of(large), Duration.ZERO)) {
      try (SocketChannel channel = UnixSockets.connect(source.paths().get(0), SocketClient.CONNECT_TIMEOUT)) {
        channel.read(ByteBuffer.allocate(1024));
      }
      assertThat(source.awaitFinished(SERVED_TIMEOUT)).isTrue();
      SocketSource.Report report = source.reports().get(0);
      assertThat(report.state()).isEqualTo(State.WRITE_FAILED);
      assertThat(report.error()).isInstanceOf(IOException.class);
      assertThat(report.bytesWritten()).isLessThan(large.length);
      assertThatThrownBy(() -> source.requireServed(Duration.ZERO)).isInstanceOf(AssertionError.class)
          .hasMessageContaining("WRITE_FAILED");
    }
    assertThat(dir.resolve("airbyte_socket_1.sock")).doesNotExist();
  }

  @Test
  void closeStopsASocketNobodyConnectedToAndDeletesItsFile() throws Exception {
    SocketSource source = SocketSource.start(dir, Format.PROTOBUF, List.of(new byte[] {1}, new byte[] {2}), Duration.ZERO);
    byte[] first = SocketClient.readAll(source.paths().get(0));
    assertThat(first).containsExactly(1);
    while (!Files.exists(source.paths().get(1))) {
      Thread.sleep(10);
    }
    source.close();
    assertThat(source.reports()).extracting(SocketSource.Report::state).containsExactly(State.SERVED, State.STOPPED);
    assertThat(source.paths()).allSatisfy(path -> assertThat(path).doesNotExist());
  }

  @Test
  void closeThrowsWhenASocketCouldNotBind() throws Exception {
    // A non-empty directory where the socket file should be.
    Files.createDirectories(dir.resolve("airbyte_socket_1.sock").resolve("occupied"));
    SocketSource source = SocketSource.start(dir, Format.JSONL, List.of(new byte[0]), Duration.ZERO);
    assertThat(source.awaitFinished(SERVED_TIMEOUT)).isTrue();
    assertThat(source.reports().get(0).state()).isEqualTo(State.FAILED);
    assertThatThrownBy(source::close).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("airbyte_socket_1.sock").hasMessageContaining("FAILED");
  }

  @Test
  void aSocketPathOverTheUnixLimitIsRefusedNamingIt() {
    Path deep = dir.resolve("d".repeat(100));
    assertThatThrownBy(() -> SocketSource.start(deep, Format.JSONL, List.of(new byte[0]), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("airbyte_socket_1.sock")
        .hasMessageContaining("107 bytes");
  }

  @Test
  void aLegacyStateOrAnotherMessageTypeIsRefusedNamingTheMessage() throws IOException {
    SocketScript.Builder builder = SocketScript.builder(fixture("two_streams_catalog.json"), Format.JSONL);
    JsonNode legacy = SocketScript.JSON.readTree("{\"type\":\"STATE\",\"state\":{\"data\":{\"x\":1}}}");
    JsonNode log = SocketScript.JSON.readTree("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"hi\"}}");
    assertThatThrownBy(() -> builder.build(List.of(log, legacy))).hasMessageContaining("message 2")
        .hasMessageContaining("LEGACY");
    assertThatThrownBy(() -> builder.build(List.of(log))).hasMessageContaining("message 1").hasMessageContaining("LOG");
  }

  @Test
  void theSameSeedGivesTheSamePartitionIdsAndAnotherSeedOthers() {
    Path messages = fixture("stream_states_interleaved.jsonl");
    Path catalog = fixture("two_streams_catalog.json");
    SocketScript a = SocketScript.builder(catalog, Format.JSONL).seed(5).build(messages);
    SocketScript b = SocketScript.builder(catalog, Format.JSONL).seed(5).build(messages);
    SocketScript c = SocketScript.builder(catalog, Format.JSONL).seed(6).build(messages);
    assertThat(a.states()).extracting(ExpectedState::partitionId)
        .containsExactlyElementsOf(b.states().stream().map(ExpectedState::partitionId).toList());
    assertThat(a.states().get(0).partitionId()).isNotEqualTo(c.states().get(0).partitionId());
  }
}
