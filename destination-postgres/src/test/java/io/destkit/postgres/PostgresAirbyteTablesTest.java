package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static io.destkit.testkit.postgres.PostgresServer.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.Fixtures;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import io.destkit.testkit.postgres.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables that Airbyte's destination-postgres 3.x wrote keep working: the fixture {@code
 * airbyte/direct-load-users.sql} is its DDL for a stream {@code users} (its column types, its three
 * indexes, {@code _airbyte_generation_id} NOT NULL) with two rows of generation 5 whose raw ids are
 * random (version 4) UUIDs, as Airbyte's are. Each sync mode continues it: no column changes type,
 * the stored rows keep their raw ids, generation ids carry on.
 */
class PostgresAirbyteTablesTest {
  private static final String ALICE_RAW_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
  private static final String BOB_RAW_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

  @TempDir Path tempDir;
  private String schema;
  private ObjectNode config;

  @BeforeEach
  void createAirbyteTable() throws Exception {
    PostgresTarget.server();
    schema = PostgresServer.nameFor("destkit_airbyte", tempDir.toString());
    config = PostgresTarget.config(DEFAULT_DATABASE, schema).put("raw_data_schema", schema + "_raw");
    String ddl;
    try (InputStream in = getClass().getResourceAsStream("/airbyte/direct-load-users.sql")) {
      if (in == null) {
        throw new IOException("missing test resource airbyte/direct-load-users.sql");
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("SCHEMA", schema);
    }
    // As Airbyte's destination ran it: as the connector's user, which continues its tables.
    try (Connection writer = connectAsWriter(); Statement statement = writer.createStatement()) {
      statement.execute("CREATE SCHEMA " + quote(schema));
      statement.execute(ddl);
    }
  }

  @Test
  void anAppendSyncAddsRowsKeepsTheStoredOnesAndChangesNoColumnEvenAfterACrash() throws Exception {
    Map<String, String> types = columnTypes();
    // An attempt cut off before any STATE: its rows are removed by the next; Airbyte's (version 4) never.
    ConnectorRun cut = sync(users(6, 0), new SyncInput().record(stream(), 3000, user(3, "Carol", "2024-07-01T00:00:00Z")));
    assertThat(cut.exitCode()).isEqualTo(1);

    ConnectorRun run = sync(users(6, 0), new SyncInput()
        .record(stream(), 3000, user(3, "Carol", "2024-07-01T00:00:00Z")).complete(stream()));

    assertSucceeded(run);
    assertThat(logs(run)).noneSatisfy(log -> assertThat(log).contains("changed from type"));
    assertThat(columnTypes()).isEqualTo(types);
    assertThat(rows("SELECT id, name, _airbyte_generation_id, _airbyte_raw_id FROM " + users() + " ORDER BY id"))
        .hasSize(3)
        .startsWith("1 Alice 5 " + ALICE_RAW_ID, "2 Bob 5 " + BOB_RAW_ID)
        .last().asString().startsWith("3 Carol 6 ");
    assertThat(rows("SELECT score, active, birthday, wakes_at, lunch_at, updated_at, local_updated_at, address, tags FROM "
        + users() + " WHERE id = 3")).containsExactly(
            "3.75 t 2000-02-29 08:15:00+01 12:00:00 2024-07-01 00:00:00+00 2024-07-01 09:30:00 {\"city\": \"Rome\"} [\"c\"]");
  }

  @Test
  void aDedupeSyncMergesIntoTheStoredRowsWhereTheNewestVersionOfEachKeyWins() throws Exception {
    Map<String, String> types = columnTypes();
    ObjectNode dedupe = users(6, 0).put("destination_sync_mode", "append_dedup");
    dedupe.putArray("primary_key").addArray().add("id");
    dedupe.putArray("cursor_field").add("updated_at");

    ConnectorRun run = sync(dedupe, new SyncInput()
        .record(stream(), 3000, user(1, "Alice newer", "2024-03-01T00:00:00Z"))
        .record(stream(), 3000, user(2, "Bob older", "2024-02-01T00:00:00Z"))
        .record(stream(), 3000, user(3, "Carol", "2024-07-01T00:00:00Z"))
        .complete(stream()));

    assertSucceeded(run);
    assertThat(columnTypes()).isEqualTo(types);
    List<String> rows = rows("SELECT id, name, _airbyte_generation_id FROM " + users() + " ORDER BY id");
    assertThat(rows).containsExactly("1 Alice newer 6", "2 Bob 5", "3 Carol 6");
    assertThat(rows("SELECT _airbyte_raw_id FROM " + users() + " WHERE id = 2"))
        .as("Airbyte's row of key 2 is newer: kept as it was").containsExactly(BOB_RAW_ID);
  }

  @Test
  void aTruncateRefreshReplacesTheStoredRowsAndKeepsTheAirbyteIndexes() throws Exception {
    Map<String, String> types = columnTypes();

    ConnectorRun run = sync(users(6, 6), new SyncInput()
        .record(stream(), 3000, user(3, "Carol", "2024-07-01T00:00:00Z")).complete(stream()));

    assertThat(logs(run)).anySatisfy(log -> assertThat(log).contains("the refresh replaces its rows in place")
        .contains("index idx_pk_users"));
    assertThat(columnTypes()).isEqualTo(types);
    assertThat(rows("SELECT id, name, _airbyte_generation_id FROM " + users())).containsExactly("3 Carol 6");
    assertThat(rows("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema + "' ORDER BY indexname"))
        .containsExactly("idx_cursor_users", "idx_extracted_at_users", "idx_pk_users");
  }

  // ---- the stream: the fixture table's columns, in Airbyte's JSON schema types

  private StreamDescriptor stream() {
    return new StreamDescriptor(schema, "users");
  }

  private ObjectNode users(long generation, long minimum) {
    ObjectNode jsonSchema = (ObjectNode) Fixtures.json("""
        {"type": "object", "properties": {
          "id": {"type": "integer"},
          "name": {"type": "string"},
          "score": {"type": "number"},
          "active": {"type": "boolean"},
          "birthday": {"type": "string", "format": "date"},
          "wakes_at": {"type": "string", "format": "time", "airbyte_type": "time_with_timezone"},
          "lunch_at": {"type": "string", "format": "time", "airbyte_type": "time_without_timezone"},
          "updated_at": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
          "local_updated_at": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_without_timezone"},
          "address": {"type": "object", "properties": {"city": {"type": "string"}}},
          "tags": {"type": "array", "items": {"type": "string"}}}}""");
    return TestCatalogs.stream(schema, "users", jsonSchema).put("generation_id", generation)
        .put("minimum_generation_id", minimum);
  }

  private static ObjectNode user(int id, String name, String updatedAt) {
    ObjectNode user = MessageCodec.MAPPER.createObjectNode().put("id", id).put("name", name).put("score", 3.75)
        .put("active", true).put("birthday", "2000-02-29").put("wakes_at", "08:15:00+01:00").put("lunch_at", "12:00:00")
        .put("updated_at", updatedAt).put("local_updated_at", "2024-07-01T09:30:00");
    user.putObject("address").put("city", "Rome");
    user.putArray("tags").add("c");
    return user;
  }

  // ---- database access

  private String users() {
    return quote(schema) + "." + quote("users");
  }

  /** Column name to information_schema's type, with numeric precision and character length. */
  private Map<String, String> columnTypes() throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    for (String row : rows("SELECT column_name, data_type, coalesce(numeric_precision::text, '-'),"
        + " coalesce(character_maximum_length::text, '-'), is_nullable FROM information_schema.columns"
        + " WHERE table_schema = '" + schema + "' AND table_name = 'users' ORDER BY ordinal_position")) {
      int space = row.indexOf(' ');
      types.put(row.substring(0, space), row.substring(space + 1));
    }
    assertThat(types).containsEntry("score", "numeric - - YES").containsEntry("_airbyte_generation_id", "bigint 64 - NO");
    return new TreeMap<>(types);
  }

  /** Each row's values joined by spaces. */
  private List<String> rows(String sql) throws SQLException {
    List<String> rows = new java.util.ArrayList<>();
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

  private static List<String> logs(ConnectorRun run) {
    assertSucceeded(run);
    return run.messages(MessageType.LOG).stream()
        .map(log -> log.json().path("log").path("level").asText() + " " + log.json().path("log").path("message").asText())
        .toList();
  }
}
