package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.write.PipelineSettings;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import io.destkit.testkit.TestDatabase;
import io.destkit.testkit.postgres.PostgresServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool is sized from the tuned settings: more flush threads than the old fixed 8 connections never wait. */
class PostgresPoolTest {
  private static final int FLUSH_THREADS = 12;
  private static final int STREAMS = 24;
  private static final int RECORDS = 200;

  @TempDir Path tempDir;

  @Test
  void thePoolHasAConnectionForEveryFlushThreadAndForAsManyStartsOrClosesAtOnce() {
    PipelineSettings settings = PipelineSettings.defaults().withFlushThreads(FLUSH_THREADS);
    int size = PostgresDestination.poolSize(settings);

    assertThat(size).isGreaterThanOrEqualTo(2 * FLUSH_THREADS);
    PostgresConfig config = PostgresConfig.from(PostgresTarget.config(DEFAULT_DATABASE, "public"));
    try (PostgresDatabase database = PostgresDatabase.open(config, size)) {
      assertThat(database.maximumPoolSize()).isEqualTo(size);
    }
  }

  @Test
  void aSyncOfManyStreamsWithTwelveFlushThreadsSucceedsWithoutWaitingForConnections() throws Exception {
    String schema = PostgresServer.nameFor("destkit_pool", tempDir.toString());
    ObjectNode config = PostgresTarget.config(DEFAULT_DATABASE, schema).put("raw_data_schema", schema + "_raw");
    List<JsonNode> streams = new ArrayList<>();
    SyncInput input = new SyncInput();
    List<StreamDescriptor> descriptors = new ArrayList<>();
    JsonNode jsonSchema = MessageCodec.MAPPER.readTree(
        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}}");
    for (int s = 0; s < STREAMS; s++) {
      StreamDescriptor stream = new StreamDescriptor(schema, "stream_" + s);
      descriptors.add(stream);
      // Half the streams refresh (temp table, swap at close), half dedupe (temp table, upsert at close).
      ObjectNode configured = TestCatalogs.stream(schema, stream.name(), jsonSchema);
      if (s % 2 == 0) {
        configured.put("generation_id", 1).put("minimum_generation_id", 1);
      } else {
        configured.put("destination_sync_mode", "append_dedup").putArray("primary_key").addArray().add("id");
      }
      streams.add(configured);
    }
    for (int i = 0; i < RECORDS; i++) {
      for (StreamDescriptor stream : descriptors) {
        input.record(stream, 1_000 + i, MessageCodec.MAPPER.createObjectNode().put("id", i).put("name", "n" + i));
      }
    }
    input.complete(descriptors.toArray(new StreamDescriptor[0]));
    Path configFile = Files.writeString(tempDir.resolve("config.json"), config.toString());
    Path catalogFile = Files.writeString(
        tempDir.resolve("catalog.json"), TestCatalogs.catalog(streams.toArray(new JsonNode[0])).toString());
    // Small batches: every stream flushes several times, twelve flushes in flight at once.
    PipelineSettings settings = new PipelineSettings(FLUSH_THREADS, 1 << 20, 20, Duration.ofSeconds(30), 64L << 20);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    long start = System.nanoTime();
    int exitCode = new DestinationRunner<>(
            new PostgresDestination(),
            new ByteArrayInputStream(input.text().getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            settings)
        .run(new String[] {"--write", "--config", configFile.toString(), "--catalog", catalogFile.toString()});
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(exitCode).as("stdout %s%nstderr %s", out, err).isZero();
    // A flush that waited for a connection would wait up to the pool's 30 s timeout.
    assertThat(elapsed).isLessThan(Duration.ofSeconds(25));
    PostgresConfig bound = new PostgresDestination().bindConfig(config);
    try (TestDatabase database = PostgresTarget.INSTANCE.openDatabase(bound)) {
      for (StreamDescriptor stream : descriptors) {
        assertThat(database.operations().countRows(new io.destkit.core.catalog.TableName(schema, stream.name())))
            .as(stream.name()).isEqualTo(RECORDS);
      }
    }
  }
}
