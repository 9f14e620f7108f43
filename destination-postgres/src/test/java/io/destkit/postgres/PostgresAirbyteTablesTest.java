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

  @Test
  void aTableWithMixedCaseAndReservedNamesGetsItsRowsWhereAirbyteWroteThem() throws Exception {
    // As Airbyte names stream "Customer Orders" and fields orderId, "Total  Amount", order, 2nd:
    // case kept, white space runs as one _, reserved words and leading digits as Airbyte treats them.
    try (Connection writer = connectAsWriter(); Statement statement = writer.createStatement()) {
      statement.execute("CREATE TABLE " + quote(schema) + ".\"Customer_Orders\" (\"_airbyte_raw_id\" varchar NOT NULL,"
          + " \"_airbyte_extracted_at\" timestamp with time zone NOT NULL, \"_airbyte_meta\" jsonb NOT NULL,"
          + " \"_airbyte_generation_id\" bigint NOT NULL, \"orderId\" bigint, \"Total_Amount\" decimal,"
          + " \"order\" varchar, \"_2nd\" varchar)");
      statement.execute("INSERT INTO " + quote(schema) + ".\"Customer_Orders\" VALUES ('" + ALICE_RAW_ID
          + "', '2024-01-10T00:00:00Z', '{}', 5, 1, 9.5, 'first', 'x')");
    }
    ObjectNode stream = TestCatalogs.stream(schema, "Customer Orders", Fixtures.json("""
        {"type": "object", "properties": {"orderId": {"type": "integer"}, "Total  Amount": {"type": "number"},
          "order": {"type": "string"}, "2nd": {"type": "string"}}}""")).put("generation_id", 6);
    StreamDescriptor descriptor = new StreamDescriptor(schema, "Customer Orders");
    ObjectNode record = MessageCodec.MAPPER.createObjectNode().put("orderId", 2).put("Total  Amount", 12.25)
        .put("order", "second").put("2nd", "y");

    ConnectorRun run = ConnectorRun.write(new PostgresDestination(), config, TestCatalogs.catalog(stream),
        new SyncInput().record(descriptor, 3000, record).complete(descriptor).text(), tempDir);

    assertSucceeded(run);
    assertThat(rows("SELECT \"orderId\", \"Total_Amount\", \"order\", \"_2nd\", _airbyte_generation_id FROM "
        + quote(schema) + ".\"Customer_Orders\" ORDER BY 1")).containsExactly("1 9.5 first x 5", "2 12.25 second y 6");
    assertThat(rows("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema
        + "' ORDER BY 1")).containsExactly("Customer_Orders", "users");
    assertThat(rows("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
        + "' AND table_name = 'Customer_Orders'")).containsExactly("8");
  }

  @Test
  void aRefreshAirbyteLeftUnfinishedContinuesFromItsTempTable() throws Exception {
    // Airbyte's temp table of schema.users: in raw_data_schema, the schema and table names (their
    // first and last 8 characters when longer than 16), then 32 hex digits of a SHA-256.
    String rawSchema = schema + "_raw";
    String temp = airbyteTempName(schema, "users");
    try (Connection writer = connectAsWriter(); Statement statement = writer.createStatement()) {
      statement.execute("CREATE SCHEMA " + quote(rawSchema));
      statement.execute("CREATE TABLE " + quote(rawSchema) + "." + quote(temp) + " (LIKE " + users() + ")");
      statement.execute("INSERT INTO " + quote(rawSchema) + "." + quote(temp) + " (_airbyte_raw_id,"
          + " _airbyte_extracted_at, _airbyte_meta, _airbyte_generation_id, id, name) VALUES ('"
          + "3b241101-e2bb-4255-8caf-4136c566a962', '2024-08-01T00:00:00Z', '{}', 6, 10, 'Dave')");
    }

    ConnectorRun run = sync(users(6, 6), new SyncInput()
        .record(stream(), 3000, user(3, "Carol", "2024-07-01T00:00:00Z")).complete(stream()));

    assertSucceeded(run);
    assertThat(rows("SELECT id, name, _airbyte_generation_id FROM " + users() + " ORDER BY id"))
        .as("the generation-6 row of Airbyte's attempt, and this one's; generation 5 replaced")
        .containsExactly("3 Carol 6", "10 Dave 6");
    assertThat(rows("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + rawSchema
        + "' AND table_name = '" + temp + "'")).containsExactly("0");
  }

  private static String airbyteTempName(String namespace, String name) throws Exception {
    String raw = namespace + "_raw" + "_".repeat(maxUnderscoreRun(namespace + name + "_airbyte_tmp") + 1) + "stream_"
        + name + "_airbyte_tmp";
    String hash = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
    String full = ends(namespace) + ends(name) + hash.substring(0, 32);
    return full.substring(0, Math.min(63, full.length()));
  }

  private static int maxUnderscoreRun(String text) {
    int longest = 1;
    int run = 0;
    for (char c : text.toCharArray()) {
      run = c == '_' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  private static String ends(String text) {
    return text.length() <= 16 ? text : text.substring(0, 8) + text.substring(text.length() - 8);
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
