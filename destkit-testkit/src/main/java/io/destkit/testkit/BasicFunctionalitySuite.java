package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.ProtocolMessage;
import io.destkit.protocol.StreamDescriptor;
import java.util.List;
import java.util.Map;

/**
 * The base of the full-sync suites: each test runs whole {@code --write} operations through the
 * connector's entry point ({@link ConnectorRun}, in-process) against the real database, then reads
 * the final tables back through the target's {@link TableReader} and compares them
 * database-neutrally with {@link ComparableRows}. A case that changes a table with SQL by hand
 * opens {@link #database(String)}, and is skipped for a destination that is not a SQL database.
 * Every catalog has sync id {@value #SYNC_ID}, as in Airbyte's harness.
 *
 * <p>The themed suites that extend this ({@link BasicSyncSuite}, {@link RefreshSuite}, {@link
 * DedupeSuite}, {@link CdcSuite}, {@link SchemaEvolutionSuite}, {@link TypesSuite}) are what a
 * destination extends, each with a few lines.
 *
 * @param <C> the destination's typed config
 */
public abstract class BasicFunctionalitySuite<C> extends DatabaseSuite<C> {
  public static final long SYNC_ID = 42;
  /** The public end-to-end vectors (Airbyte's typing-deduping "dat" fixtures). */
  protected static final String DAT = "airbyte/typing_deduping/dat/";
  protected static final String SQLGENERATOR = "airbyte/typing_deduping/sqlgenerator/";

  private JsonNode config;

  /** This test's config, the same for every sync of the test. */
  protected final JsonNode configJson() {
    if (config == null) {
      config = validConfig(tempDir);
    }
    return config;
  }

  /** This test's config with CDC deletes kept as tombstones. */
  protected final JsonNode softDeleteConfig() {
    return target().softDeleteConfig(configJson());
  }

  protected final C typedConfig() {
    return destination().bindConfig(configJson());
  }

  /** Runs one {@code --write} with this test's config. */
  protected final ConnectorRun run(JsonNode catalog, SyncInput input) {
    return run(configJson(), catalog, input);
  }

  protected final ConnectorRun run(JsonNode config, JsonNode catalog, SyncInput input) {
    TestChannel channel = channel();
    if (channel.isStdio()) {
      return ConnectorRun.write(destination(), config, catalog, input.text(), tempDir);
    }
    return ConnectorRun.writeOverSockets(destination(), config, catalog, input.text(), channel, tempDir);
  }

  /**
   * The data channel this suite's syncs use: standard input. A destination runs a suite over the
   * socket data channel too by extending it again with this returning {@link TestChannel#sockets};
   * the cases that only standard input can carry (LEGACY states, input that is not a message) are
   * skipped there.
   */
  protected TestChannel channel() {
    return TestChannel.STDIO;
  }

  /** Whether records travel as JSON text (standard input, or JSONL over sockets), not protobuf. */
  protected final boolean carriesText() {
    return channel().isStdio() || channel().format() == io.destkit.protocol.DataChannel.Format.JSONL;
  }

  /** Skips a case that only standard input can carry. */
  protected final void assumeStdio(String why) {
    org.junit.jupiter.api.Assumptions.assumeTrue(channel().isStdio(), why);
  }

  /** Runs a sync that must succeed: exit code 0 and no error trace. */
  protected final ConnectorRun sync(JsonNode catalog, SyncInput input) {
    return sync(configJson(), catalog, input);
  }

  protected final ConnectorRun sync(JsonNode config, JsonNode catalog, SyncInput input) {
    ConnectorRun run = run(config, catalog, input);
    assertThat(run.exitCode()).as("exit code; stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
    assertThat(errors(run)).as("error traces").isEmpty();
    return run;
  }

  /** Runs a sync that must fail: exit code 1 and an error trace. */
  protected final ConnectorRun failedSync(JsonNode catalog, SyncInput input) {
    ConnectorRun run = run(catalog, input);
    assertThat(run.exitCode()).as("exit code; stderr %s", run.stderr()).isEqualTo(1);
    assertThat(errors(run)).as("error traces").hasSize(1);
    return run;
  }

  private static List<ProtocolMessage> errors(ConnectorRun run) {
    return run.messages(MessageType.TRACE).stream()
        .filter(message -> "ERROR".equals(message.json().path("trace").path("type").asText()))
        .toList();
  }

  /** The emitted states' {@code destinationStats.recordCount}s, in order. */
  protected static List<Double> recordCounts(ConnectorRun run) {
    return run.messages(MessageType.STATE).stream()
        .map(state -> state.json().path("state").path("destinationStats").path("recordCount").asDouble())
        .toList();
  }

  /** The tables the connector uses for the catalog's stream at this position. */
  protected final StreamTables tables(JsonNode catalog, int stream) {
    TableCatalog tables =
        TableCatalog.build(TestCatalogs.destinationCatalog(catalog), destination().namingPolicy(typedConfig()));
    return tables.get(stream);
  }

  /** This test's tables, opened; the caller closes them before the next sync. */
  protected final TableReader tableReader() throws Exception {
    return openTables(typedConfig());
  }

  /**
   * This test's SQL database, opened, for a case that does this with SQL ({@code "adds a column
   * by hand"}); skipped for a destination that is not a SQL database. The caller closes it before
   * the next sync.
   */
  protected final TestDatabase database(String what) throws Exception {
    return sqlTarget(what).openDatabase(typedConfig());
  }

  /** This test's SQL database, opened; the caller closes it before the next sync. */
  protected final TestDatabase database() throws Exception {
    return openDatabase(typedConfig());
  }

  /** Every row of the stream's final table. */
  protected final List<TableRow> rows(StreamTables tables) throws Exception {
    try (TableReader reader = tableReader()) {
      return reader.rows(tables.finalTable());
    }
  }

  protected final boolean finalTableExists(StreamTables tables) throws Exception {
    try (TableReader reader = tableReader()) {
      return reader.tableExists(tables.finalTable());
    }
  }

  /** Whether the table exists (a temp table left behind, say). */
  protected final boolean tableExists(io.destkit.core.catalog.TableName table) throws Exception {
    try (TableReader reader = tableReader()) {
      return reader.tableExists(table);
    }
  }

  /** The final table of the catalog's stream at this position, comparable with expected rows. */
  protected final List<Map<String, String>> finalRows(JsonNode catalog, int stream) throws Exception {
    StreamTables tables = tables(catalog, stream);
    List<TableRow> rows = rows(tables);
    assertThat(rows).as("raw ids of %s", tables.finalTable())
        .extracting(TableRow::rawId).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(rows).as("sync ids of %s", tables.finalTable())
        .allSatisfy(row -> assertThat(row.meta().path("sync_id").asLong()).isEqualTo(SYNC_ID));
    return ComparableRows.actual(tables, rows);
  }

  /** Asserts the final table holds exactly these rows, in any order (see {@link ComparableRows}). */
  protected final void assertFinalRows(JsonNode catalog, int stream, List<ObjectNode> expected) throws Exception {
    StreamTables tables = tables(catalog, stream);
    assertThat(finalRows(catalog, stream))
        .as("rows of %s", tables.finalTable())
        .containsExactlyInAnyOrderElementsOf(ComparableRows.expected(tables, expected));
  }

  protected final void assertFinalRows(JsonNode catalog, List<ObjectNode> expected) throws Exception {
    assertFinalRows(catalog, 0, expected);
  }

  /** One field of every row of the final table, canonical, in any order (null for SQL NULL). */
  protected final List<String> column(JsonNode catalog, int stream, String field) throws Exception {
    return finalRows(catalog, stream).stream().map(row -> row.get(field)).toList();
  }

  // ---- catalogs

  /** The descriptor of a configured stream. */
  protected static StreamDescriptor descriptor(JsonNode configuredStream) {
    JsonNode stream = configuredStream.path("stream");
    JsonNode namespace = stream.get("namespace");
    return new StreamDescriptor(namespace == null ? null : namespace.asText(), stream.path("name").asText());
  }

  /** A configured stream, incremental append, generation 0, minimum 0, sync id {@value #SYNC_ID}. */
  protected static ObjectNode stream(String namespace, String name, JsonNode schema) {
    return TestCatalogs.stream(namespace, name, schema).put("sync_id", SYNC_ID);
  }

  /** The stream of the public "dat" vectors (schema.json): ids, cursor, CDC column, name, address, ... */
  protected static ObjectNode datStream(String namespace, String name) {
    return stream(namespace, name, Vectors.json(DAT + "schema.json"));
  }

  /**
   * A stream with the schema of Airbyte's SQL-generator fixtures (the {@code sqlgenerator/} vectors):
   * ids, cursor, CDC column and one field of each type.
   */
  protected static ObjectNode sqlGeneratorStream(String namespace, String name) {
    return stream(namespace, name, Fixtures.resource("sqlgenerator-schema.json"));
  }

  protected static ObjectNode generations(ObjectNode stream, long generationId, long minimumGenerationId) {
    return stream.put("generation_id", generationId).put("minimum_generation_id", minimumGenerationId);
  }

  /** Full refresh, overwrite. */
  protected static ObjectNode overwrite(ObjectNode stream) {
    return stream.put("sync_mode", "full_refresh").put("destination_sync_mode", "overwrite");
  }

  /** Incremental, append_dedup with this primary key (one field per component) and cursor (or none). */
  protected static ObjectNode dedupe(ObjectNode stream, String cursor, String... primaryKey) {
    stream.put("sync_mode", "incremental").put("destination_sync_mode", "append_dedup");
    ArrayNode key = stream.putArray("primary_key");
    for (String field : primaryKey) {
      key.addArray().add(field);
    }
    ArrayNode cursorField = stream.putArray("cursor_field");
    if (cursor != null) {
      cursorField.add(cursor);
    }
    return stream;
  }

  /** Incremental append with this cursor. */
  protected static ObjectNode append(ObjectNode stream, String cursor) {
    stream.put("sync_mode", "incremental").put("destination_sync_mode", "append");
    stream.putArray("cursor_field").add(cursor);
    stream.remove("primary_key");
    return stream;
  }

  protected static ObjectNode catalog(JsonNode... streams) {
    return TestCatalogs.catalog(streams);
  }

  /** The messages of a "dat" vector, e.g. {@code sync1_messages.jsonl}. */
  protected static List<ObjectNode> dat(String file) {
    return Fixtures.jsonLines(DAT + file);
  }

  /** The input: these messages of the stream, then STREAM_STATUS COMPLETE for it. */
  protected static SyncInput completeSync(JsonNode configuredStream, List<ObjectNode> messages) {
    StreamDescriptor stream = descriptor(configuredStream);
    return new SyncInput().messages(stream, messages).complete(stream);
  }
}
