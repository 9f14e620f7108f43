package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.DataChannel;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import io.destkit.testkit.socket.SocketFault;
import io.destkit.testkit.socket.SocketScript;
import io.destkit.testkit.socket.SocketSource;
import io.destkit.testkit.socket.ValueCase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged connector over the socket data channel, as the platform runs it in speed mode: the
 * testkit's {@link SocketSource} binds the sockets, the connector gets their paths in its
 * environment and nothing on stdin. A sync over four sockets in protobuf and in JSONL; a malformed
 * frame and a socket that closes mid-frame, which fail the sync with every emitted state durable; a
 * value sent in a case its column cannot take, nulled and recorded; and a kill -9 in the middle of
 * a sync, whose retry leaves every record once.
 *
 * @param <C> the destination's typed config
 */
public abstract class SocketChannelProcessSuite<C> extends ProcessSuite<C> {
  private static final StreamDescriptor EVENTS = new StreamDescriptor(null, "events");
  private static final int STATE_EVERY = 1_000;

  private final List<SocketSource> sources = new ArrayList<>();
  private int scripts;

  @AfterEach
  void closeSources() {
    sources.forEach(SocketSource::close);
  }

  /** The catalog of one append stream, {@code events}: an integer id, a timestamp, a name. */
  private Path catalog() {
    ObjectNode catalog = ConnectorProcess.JSON.createObjectNode();
    ObjectNode configured = catalog.putArray("streams").addObject();
    ObjectNode stream = configured.putObject("stream");
    stream.put("name", EVENTS.name());
    ObjectNode properties = stream.putObject("json_schema").put("type", "object").putObject("properties");
    properties.putObject("id").put("type", "integer");
    properties.putObject("happened_at").put("type", "string").put("format", "date-time")
        .put("airbyte_type", "timestamp_with_timezone");
    properties.putObject("name").put("type", "string");
    stream.putArray("supported_sync_modes").add("full_refresh").add("incremental");
    configured.put("sync_mode", "incremental");
    configured.put("destination_sync_mode", "append");
    configured.put("generation_id", 0).put("minimum_generation_id", 0).put("sync_id", 7);
    return ConnectorProcess.writeJson(workDir().resolve("catalog.json"), catalog);
  }

  /** {@code count} records of {@code events} from id {@code from}, a STATE after every {@value #STATE_EVERY}th. */
  private static List<JsonNode> messages(int from, int count, boolean complete) {
    List<JsonNode> messages = new ArrayList<>();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      int id = from + i;
      messages.add(json("{\"type\":\"RECORD\",\"record\":{\"stream\":\"events\",\"emitted_at\":1767225600000,"
          + "\"data\":{\"id\":" + id + ",\"happened_at\":\"" + start.plusSeconds(id) + "\",\"name\":\"event " + id + "\"}}}"));
      if ((i + 1) % STATE_EVERY == 0 || i == count - 1) {
        messages.add(json("{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":"
            + "{\"name\":\"events\"},\"stream_state\":{\"last_id\":" + id + "}}}}"));
      }
    }
    if (complete) {
      messages.add(json("{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1,"
          + "\"stream_status\":{\"stream_descriptor\":{\"name\":\"events\"},\"status\":\"COMPLETE\"}}}"));
    }
    return messages;
  }

  private static JsonNode json(String text) {
    return MessageCodec.decode(text).json();
  }

  private SocketScript script(Path catalog, DataChannel.Format format, int sockets, List<JsonNode> messages,
      SocketFault... faults) {
    SocketScript.Builder builder = SocketScript.builder(catalog, format).sockets(sockets).seed(++scripts);
    for (SocketFault fault : faults) {
      builder.fault(fault);
    }
    return builder.build(messages);
  }

  /** Serves the script's sockets from a short directory (a socket path is at most 107 bytes). */
  private SocketSource serve(SocketScript script) {
    try {
      SocketSource source = SocketSource.start(Files.createTempDirectory(Path.of("/tmp"), "dksock"), script);
      sources.add(source);
      return source;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Result write(Path catalog, SocketScript script) {
    SocketSource source = serve(script);
    closeTheDatabase();
    return ConnectorProcess.runWithEnvironment(workDir(), source.environment(), "write", "--config",
        config(MAIN).toString(), "--catalog", catalog.toString());
  }

  private String events() {
    return db().qualified(MAIN, EVENTS.name());
  }

  /** Rows, distinct ids. */
  private long[] counts() {
    Map<String, Object> row = db().query("SELECT count(*) AS n, count(DISTINCT " + db().quote("id") + ") AS d FROM "
        + events()).get(0);
    return new long[] {((Number) row.get("n")).longValue(), ((Number) row.get("d")).longValue()};
  }

  private static long committedBy(List<ObjectNode> states) {
    return states.isEmpty() ? 0 : states.get(states.size() - 1).path("state").path("committedRecordsCount").asLong();
  }

  @Test
  void aSyncOverFourSocketsInProtobufWritesEveryRecordOnceAndEchoesEveryStateInIdOrder() {
    assertSyncOverFourSockets(DataChannel.Format.PROTOBUF);
  }

  @Test
  void aSyncOverFourSocketsInJsonlWritesEveryRecordOnceAndEchoesEveryStateInIdOrder() {
    assertSyncOverFourSockets(DataChannel.Format.JSONL);
  }

  private void assertSyncOverFourSockets(DataChannel.Format format) {
    Path catalog = catalog();
    SocketScript script = script(catalog, format, 4, messages(1, 20_000, true));

    Result result = write(catalog, script).assertSucceeded();

    List<ObjectNode> states = result.states();
    assertThat(states).extracting(state -> state.path("state").path("id").asInt())
        .containsExactlyElementsOf(script.expectedEcho().stream().map(SocketScript.ExpectedState::id).toList());
    assertThat(states).hasSize(20);
    assertThat(states).allSatisfy(state ->
        assertThat(state.path("state").path("destinationStats").path("recordCount").asDouble()).isEqualTo(1000.0));
    assertThat(committedBy(states)).isEqualTo(20_000);
    assertThat(result.ofType("RECORD")).allSatisfy(record ->
        assertThat(record.path("record").path("isDummyStatsMessage").asBoolean()).isTrue());
    assertThat(counts()).containsExactly(20_000, 20_000);
    assertThat(db().queryValue("SELECT count(*) AS n FROM " + events() + " WHERE " + db().quote("name")
        + " = 'event 12345' AND " + db().quote("happened_at") + " IS NOT NULL")).isEqualTo(1L);
  }

  @Test
  void aMalformedFrameFailsTheSyncNamingTheSocketAndEveryEmittedStateIsDurable() {
    Path catalog = catalog();
    SocketScript script = script(catalog, DataChannel.Format.PROTOBUF, 3, messages(1, 9_000, true),
        SocketFault.notAVarint(2, 1_500));

    Result result = write(catalog, script);

    String message = result.assertFailedWith("system_error");
    assertThat(message).contains("airbyte_socket_2.sock", "varint");
    long[] counts = counts();
    assertThat(counts[0]).as("no row twice").isEqualTo(counts[1]);
    assertThat(counts[0]).as("every emitted state's records").isGreaterThanOrEqualTo(committedBy(result.states()));
  }

  @Test
  void aSocketThatClosesMidFrameFailsTheSync() {
    Path catalog = catalog();
    SocketScript script = script(catalog, DataChannel.Format.PROTOBUF, 2, messages(1, 4_000, true),
        SocketFault.closeMidFrame(1, 700));

    Result result = write(catalog, script);

    assertThat(result.assertFailedWith("system_error")).contains("airbyte_socket_1.sock");
    long[] counts = counts();
    assertThat(counts[0]).isEqualTo(counts[1]).isGreaterThanOrEqualTo(committedBy(result.states()));
  }

  @Test
  void aValueSentInACaseItsColumnCannotTakeIsNulledAndRecorded() {
    Path catalog = catalog();
    SocketScript script = script(catalog, DataChannel.Format.PROTOBUF, 2, messages(1, 2_000, true),
        SocketFault.wrongCase(EVENTS, "happened_at", ValueCase.BIG_DECIMAL));

    write(catalog, script).assertSucceeded();

    assertThat(counts()).containsExactly(2_000, 2_000);
    assertThat(db().queryValue("SELECT count(*) AS n FROM " + events() + " WHERE " + db().quote("happened_at")
        + " IS NULL")).isEqualTo(2_000L);
    List<Map<String, Object>> meta = db().query("SELECT " + db().quote("_airbyte_meta") + " AS m FROM " + events()
        + " WHERE " + db().quote("id") + " = 5");
    JsonNode changes = ConnectorProcess.readJson(String.valueOf(meta.get(0).get("m"))).path("changes");
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).path("field").asText()).isEqualTo("happened_at");
    assertThat(changes.get(0).path("reason").asText()).isEqualTo("DESTINATION_SERIALIZATION_ERROR");
  }

  @Test
  void aSyncKilledInTheMiddleResumesWithEveryRecordOnce() throws Exception {
    Path catalog = catalog();
    int total = 40_000;
    List<JsonNode> all = messages(1, total, true);
    SocketScript first = script(catalog, DataChannel.Format.PROTOBUF, 4, all);
    SocketSource source = serve(first);
    closeTheDatabase();
    // Small batches, so that batches of several partitions are committed when the kill comes.
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Ddestkit.batch.records=1500", "-jar", ConnectorProcess.jar().toString(), "write", "--config",
        config(MAIN).toString(), "--catalog", catalog.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir().toFile())
        .redirectError(workDir().resolve("killed.err").toFile());
    builder.environment().putAll(source.environment());
    Process process = builder.start();
    List<ObjectNode> echoed = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        ObjectNode message = (ObjectNode) MessageCodec.decode(line).json();
        if ("STATE".equals(message.path("type").asText())) {
          echoed.add(message);
          if (echoed.size() == 3) {
            // SIGKILL from outside: Process.destroyForcibly would also close the output read here.
            new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
          }
        }
      }
    } finally {
      process.getOutputStream().close();
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(echoed).as("states before the kill").isNotEmpty();
    source.close();

    // The retry's source resumes after the last state echoed (read to the end of the killed
    // process's output, as the platform reads it), as a source given that state does.
    int resumeAfter = echoed.get(echoed.size() - 1).path("state").path("stream").path("stream_state")
        .path("last_id").asInt();
    CheckpointStore.Coverage recorded = recordedCoverage();
    SocketScript retry = script(catalog, DataChannel.Format.PROTOBUF, 4,
        messages(resumeAfter + 1, total - resumeAfter, true));
    write(catalog, retry).assertSucceeded();

    long[] counts = counts();
    assertThat(counts[1]).as("distinct ids after the retry: none lost").isEqualTo(total);
    // The one window exactly-once leaves: the kill came after a checkpoint was recorded and before
    // its STATE was written. A row kept twice must then be an earlier attempt's copy that the
    // recorded checkpoint covers, of a record after the last STATE echoed.
    Map<Long, List<RawId>> copies = new java.util.HashMap<>();
    db().scan("SELECT " + db().quote("id") + ", CAST(" + db().quote("_airbyte_raw_id") + " AS VARCHAR) FROM "
        + events(), row -> copies.computeIfAbsent(row.getLong(1), id -> new ArrayList<>())
            .add(RawId.parse(row.getString(2))));
    long windowCopies = 0;
    for (Map.Entry<Long, List<RawId>> record : copies.entrySet()) {
      List<RawId> ids = record.getValue();
      if (ids.size() < 2) {
        continue;
      }
      ids.sort(null);
      for (RawId copy : ids.subList(0, ids.size() - 1)) {
        assertThat(record.getKey()).as("a record kept twice comes after the last STATE echoed").isGreaterThan(resumeAfter);
        assertThat(copy.compareTo(recorded.mark()) <= 0 || RawIdRange.anyContains(recorded.keptAbove(), copy))
            .as("the extra copy of record " + record.getKey() + " is covered by the checkpoint the killed attempt"
                + " recorded").isTrue();
        windowCopies++;
      }
    }
    assertThat(counts[0]).as("rows: every record once, but for the window's copies").isEqualTo(total + windowCopies);
  }

  /** What the checkpoint table records for {@code events}: its mark and the ranges kept above it. */
  private CheckpointStore.Coverage recordedCoverage() {
    closeTheDatabase();
    List<CheckpointStore.Coverage> found = new ArrayList<>();
    DatabaseReader db = db();
    for (String table : db.allTables()) {
      if (!table.endsWith("." + DatabaseReader.CHECKPOINT_TABLE)) {
        continue;
      }
      String[] parts = table.split("\\.", 2);
      db.scan("SELECT " + db.quote("table_name") + ", " + db.quote("committed_raw_id") + ", "
          + db.quote("kept_ranges") + " FROM " + db.qualified(parts[0], parts[1]), row -> {
            if (EVENTS.name().equals(row.getString(1))) {
              found.add(new CheckpointStore.Coverage(RawId.parse(row.getString(2)),
                  RawIdRange.parseList(row.getString(3))));
            }
          });
    }
    assertThat(found).as("the checkpoint of events").hasSize(1);
    return found.get(0);
  }
}
