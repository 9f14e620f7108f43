package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static io.destkit.testkit.postgres.PostgresServer.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.sql.SqlCheckpointStore;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.Fixtures;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import io.destkit.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code disable_type_dedupe: true}: Airbyte's raw tables only. Each stream is written to {@code
 * <raw_data_schema>.<namespace>_raw__stream_<name>} with Airbyte's raw columns, each record whole in
 * {@code _airbyte_data}; no table is created in the stream's namespace.
 */
class PostgresRawTablesTest {
  @TempDir Path tempDir;
  private String schema;
  private String rawSchema;
  private ObjectNode config;

  @BeforeEach
  void configure() {
    PostgresTarget.server();
    schema = PostgresServer.nameFor("destkit_raw", tempDir.toString());
    rawSchema = schema + "_internal";
    config = PostgresTarget.config(DEFAULT_DATABASE, schema)
        .put("raw_data_schema", rawSchema)
        .put("disable_type_dedupe", true);
  }

  @Test
  void theRawTableHasAirbytesNameAndColumnsAndNoFinalTableIsCreated() throws Exception {
    assertSucceeded(sync(users("append", 1, 0), new SyncInput()
        .record(stream(), 1000, user(1, "Alice", "2024-01-01T00:00:00Z")).complete(stream())));

    // The namespace has runs of one underscore: the separator is two.
    assertThat(rows("SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('"
        + schema + "', '" + rawSchema + "') ORDER BY table_schema, table_name")).containsExactly(
            rawSchema + " " + SqlCheckpointStore.TABLE_NAME, rawSchema + " " + schema + "_raw__stream_users");
    assertThat(rows("SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = '"
        + rawSchema + "' AND table_name = '" + schema + "_raw__stream_users' ORDER BY ordinal_position")).containsExactly(
            "_airbyte_raw_id character varying NO",
            "_airbyte_extracted_at timestamp with time zone NO",
            "_airbyte_meta jsonb NO",
            "_airbyte_generation_id bigint YES",
            "_airbyte_loaded_at timestamp with time zone YES",
            "_airbyte_data jsonb YES");
    assertThat(rows("SELECT table_namespace, table_name FROM " + quote(rawSchema) + "."
        + quote(SqlCheckpointStore.TABLE_NAME))).as("the checkpoint is keyed by the raw table")
        .containsExactly(rawSchema + " " + schema + "_raw__stream_users");
  }

  @Test
  void appendSyncsAddTheRecordsWholeAsJson() throws Exception {
    ObjectNode alice = user(1, "Alice", "2024-01-01T00:00:00Z");
    alice.put("not_in_schema", "kept");
    alice.putObject("address").put("city", "Rome").putArray("lines").add("Via Roma 1");
    ObjectNode bob = user(2, "Bob", "2024-01-02T00:00:00Z");
    assertSucceeded(sync(users("append", 1, 0),
        new SyncInput().record(stream(), 1000, alice).record(stream(), 2000, bob).complete(stream())));
    ObjectNode carol = user(3, "Carol", "2024-01-03T00:00:00Z");
    carol.put("score", "not a number");
    assertSucceeded(sync(users("append", 2, 0), new SyncInput().record(stream(), 3000, carol).complete(stream())));

    assertThat(data()).containsExactlyElementsOf(parsed(alice, bob, carol));
    assertThat(rows("SELECT _airbyte_generation_id, _airbyte_loaded_at IS NULL, extract(epoch FROM _airbyte_extracted_at)"
        + ", _airbyte_meta ->> 'changes' FROM " + rawTable() + " ORDER BY _airbyte_extracted_at"))
        .containsExactly("1 t 1.000000 []", "1 t 2.000000 []", "2 t 3.000000 []");
  }

  @Test
  void aTruncateRefreshReplacesTheRawRecords() throws Exception {
    ObjectNode alice = user(1, "Alice", "2024-01-01T00:00:00Z");
    ObjectNode bob = user(2, "Bob", "2024-01-02T00:00:00Z");
    assertSucceeded(sync(users("append", 1, 0),
        new SyncInput().record(stream(), 1000, alice).record(stream(), 2000, bob).complete(stream())));

    ObjectNode carol = user(3, "Carol", "2024-01-03T00:00:00Z");
    assertSucceeded(sync(users("overwrite", 2, 2), new SyncInput().record(stream(), 3000, carol).complete(stream())));

    assertThat(data()).containsExactlyElementsOf(parsed(carol));
    assertThat(rows("SELECT _airbyte_generation_id FROM " + rawTable())).containsExactly("2");
  }

  @Test
  void theNextSyncRemovesTheRecordsOfAnAttemptCutOffBeforeItsState() throws Exception {
    ObjectNode alice = user(1, "Alice", "2024-01-01T00:00:00Z");
    assertSucceeded(sync(users("append", 1, 0), new SyncInput().record(stream(), 1000, alice).complete(stream())));
    ObjectNode lost = user(2, "Bob", "2024-01-02T00:00:00Z");
    ConnectorRun cut = sync(users("append", 2, 0), new SyncInput().record(stream(), 2000, lost));
    assertThat(cut.exitCode()).isEqualTo(1);
    assertThat(data()).as("the cut attempt's record is in the raw table").containsExactlyElementsOf(parsed(alice, lost));

    ObjectNode carol = user(3, "Carol", "2024-01-03T00:00:00Z");
    assertSucceeded(sync(users("append", 2, 0), new SyncInput().record(stream(), 3000, carol).complete(stream())));

    assertThat(data()).containsExactlyElementsOf(parsed(alice, carol));
  }

  @Test
  void aDedupeStreamIsAppendedRawWithEveryVersionOfAKey() throws Exception {
    ObjectNode v1 = user(1, "Alice", "2024-01-01T00:00:00Z");
    ObjectNode v2 = user(1, "Alice renamed", "2024-02-01T00:00:00Z");
    ObjectNode older = user(1, "Alice older", "2023-01-01T00:00:00Z");
    assertSucceeded(sync(dedupe(1), new SyncInput().record(stream(), 1000, v1).record(stream(), 2000, v2).complete(stream())));
    assertSucceeded(sync(dedupe(2), new SyncInput().record(stream(), 3000, older).complete(stream())));

    assertThat(data()).containsExactlyElementsOf(parsed(v1, v2, older));
    assertThat(rows("SELECT indexname FROM pg_indexes WHERE schemaname = '" + rawSchema + "' AND indexname LIKE"
        + " '%dedupe_key%'")).as("no dedupe key index on a raw table").isEmpty();
  }

  @Test
  void aStreamWithoutNamespaceIsNamedAfterTheSchemaInLowerCase() throws Exception {
    StreamDescriptor upper = new StreamDescriptor(null, "Users");
    ObjectNode alice = user(1, "Alice", "2024-01-01T00:00:00Z");
    ConnectorRun run = ConnectorRun.write(new PostgresDestination(), config,
        TestCatalogs.catalog(TestCatalogs.stream(null, "Users", schemaOfUsers())),
        new SyncInput().record(upper, 1000, alice).complete(upper).text(), tempDir);
    assertSucceeded(run);

    assertThat(data()).containsExactlyElementsOf(parsed(alice));
  }

  @Test
  void theSeparatorHasOneUnderscoreMoreThanTheLongestRun() {
    assertThat(IdentifierRules.airbyteRawTableName("public", "users")).isEqualTo("public_raw__stream_users");
    assertThat(IdentifierRules.airbyteRawTableName("public__ab", "abab_users")).isEqualTo("public__ab_raw___stream_abab_users");
    assertThat(IdentifierRules.airbyteRawTableName("a", "b___c")).isEqualTo("a_raw____stream_b___c");
  }

  // ---- the stream

  private StreamDescriptor stream() {
    return new StreamDescriptor(schema, "users");
  }

  private static JsonNode schemaOfUsers() {
    return Fixtures.json("""
        {"type": "object", "properties": {
          "id": {"type": "integer"},
          "name": {"type": "string"},
          "score": {"type": "number"},
          "updated_at": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
          "address": {"type": "object", "properties": {"city": {"type": "string"}}}}}""");
  }

  private ObjectNode users(String mode, long generation, long minimum) {
    return TestCatalogs.stream(schema, "users", schemaOfUsers()).put("destination_sync_mode", mode)
        .put("generation_id", generation).put("minimum_generation_id", minimum);
  }

  private ObjectNode dedupe(long generation) {
    ObjectNode stream = users("append_dedup", generation, 0);
    stream.putArray("primary_key").addArray().add("id");
    stream.putArray("cursor_field").add("updated_at");
    return stream;
  }

  private static ObjectNode user(int id, String name, String updatedAt) {
    return MessageCodec.MAPPER.createObjectNode().put("id", id).put("name", name).put("score", 3.75)
        .put("updated_at", updatedAt);
  }

  // ---- database access

  private String rawTable() {
    return quote(rawSchema) + "." + quote(schema + "_raw__stream_users");
  }

  /** The raw table's {@code _airbyte_data}, in arrival order. */
  private List<JsonNode> data() throws Exception {
    List<JsonNode> data = new ArrayList<>();
    for (String text : rows("SELECT _airbyte_data FROM " + rawTable() + " ORDER BY _airbyte_extracted_at, _airbyte_raw_id")) {
      data.add(MessageCodec.MAPPER.readTree(text));
    }
    return data;
  }

  /** The records as read back from JSON text, so that numbers compare as the table's do. */
  private static List<JsonNode> parsed(JsonNode... records) throws Exception {
    List<JsonNode> parsed = new ArrayList<>();
    for (JsonNode record : records) {
      parsed.add(MessageCodec.MAPPER.readTree(MessageCodec.MAPPER.writeValueAsString(record)));
    }
    return parsed;
  }

  /** Each row's values joined by spaces. */
  private static List<String> rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection writer = connectAsWriter(); Statement statement = writer.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i == 1 ? "" : " ").append(result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static Connection connectAsWriter() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", PostgresTarget.WRITER);
    properties.setProperty("password", PostgresTarget.WRITER_PASSWORD);
    return DriverManager.getConnection("jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.get().port()
        + "/" + DEFAULT_DATABASE + "?options=-c%20TimeZone=UTC", properties);
  }

  private ConnectorRun sync(ObjectNode configuredStream, SyncInput input) {
    return ConnectorRun.write(
        new PostgresDestination(), config, TestCatalogs.catalog(configuredStream), input.text(), tempDir);
  }

  private static void assertSucceeded(ConnectorRun run) {
    assertThat(run.exitCode()).as("stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
  }
}
