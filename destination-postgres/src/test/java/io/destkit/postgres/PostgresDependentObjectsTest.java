package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static io.destkit.testkit.postgres.PostgresServer.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
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
 * What a user builds on a final table survives the syncs that change it: a view (and a view on it),
 * a materialized view with its index, a grant to another role on the table and on the view,
 * comments, and an index of the user's. Each test makes them as the connector's user, as an analyst
 * sharing that user would, then checks after the sync that the view answers with the new rows and
 * that the other role, connected with its own password, still reads the table and the view.
 */
class PostgresDependentObjectsTest {
  private static final String READER = "destkit_reader";
  private static final String READER_PASSWORD = "Re4der-pass-91c2";
  private static final String ANALYST = "destkit_analyst";

  @TempDir Path tempDir;
  private PostgresServer server;
  private String schema;
  private ObjectNode config;

  @BeforeEach
  void createSchema() {
    server = PostgresTarget.server();
    server.createRole(READER, READER_PASSWORD);
    server.createRole(ANALYST, "An4lyst-pass-7d0e");
    schema = PostgresServer.nameFor("destkit_deps", tempDir.toString());
    config = PostgresTarget.config(DEFAULT_DATABASE, schema).put("raw_data_schema", schema + "_raw");
  }

  @Test
  void aTruncateRefreshKeepsTheTableWithItsViewsGrantsCommentsAndIndex() throws Exception {
    assertSucceeded(sync(refresh(1, "age", "integer"), people(1, 2, 3)));
    buildOnTheTable();
    long oid = tableOid();

    ConnectorRun run = sync(refresh(2, "age", "integer"), people(4, 5));

    assertThat(logs(run)).anySatisfy(log -> assertThat(log)
        .contains("the refresh replaces its rows in place, keeping its view " + schema + ".adults")
        .contains("grants").contains("comments").contains("index people_name"));
    assertThat(tableOid()).as("the same table, not a swapped one").isEqualTo(oid);
    assertThat(readAsWriter("SELECT id FROM " + q("adults") + " ORDER BY id")).containsExactly("4", "5");
    assertThat(readAsWriter("SELECT id FROM " + q("adult_names") + " ORDER BY id")).containsExactly("4", "5");
    assertTheReaderReadsTableAndView("4", "5");
    assertThat(commentsAndIndex()).containsExactly("People of the source", "Adults only", "people_name");
  }

  @Test
  void aTypeChangeOfAColumnTheViewsUseRecreatesThemWithTheirGrantsCommentsAndIndexes() throws Exception {
    assertSucceeded(sync(append("age", "integer"), people(1, 2)));
    buildOnTheTable();
    execute("CREATE MATERIALIZED VIEW " + q("ages") + " AS SELECT id, age FROM " + q("people"),
        "CREATE INDEX ages_id ON " + q("ages") + " (id)",
        "GRANT SELECT ON " + q("ages") + " TO " + quote(READER));

    ConnectorRun run = sync(append("age", "string"), people(3));

    assertThat(logs(run)).anySatisfy(log -> assertThat(log).contains("recreated views " + schema + ".adults, "));
    assertThat(columnType("people", "age")).isEqualTo("character varying");
    assertThat(columnType("adults", "age")).as("the view's column follows the table's").isEqualTo("character varying");
    assertThat(readAsWriter("SELECT age FROM " + q("adults") + " ORDER BY id")).containsExactly("21", "22", "23");
    assertTheReaderReadsTableAndView("1", "2", "3");
    assertThat(commentsAndIndex()).containsExactly("People of the source", "Adults only", "people_name");
    try (Connection reader = connectAs(READER, READER_PASSWORD)) {
      assertThat(read(reader, "SELECT id FROM " + q("ages") + " ORDER BY id"))
          .as("the materialized view, recomputed at the change, before the new rows").containsExactly("1", "2");
    }
    assertThat(readAsWriter("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema + "' AND tablename = 'ages'"))
        .containsExactly("ages_id");
  }

  @Test
  void aRefreshThatChangesATypeTheViewUsesReplacesTheRowsAndKeepsTheView() throws Exception {
    assertSucceeded(sync(refresh(1, "age", "integer"), people(1, 2)));
    buildOnTheTable();

    ConnectorRun run = sync(refresh(2, "age", "string"), people(3));

    assertSucceeded(run);
    assertThat(columnType("people", "age")).isEqualTo("character varying");
    assertThat(readAsWriter("SELECT age FROM " + q("adults"))).containsExactly("23");
    assertTheReaderReadsTableAndView("3");
  }

  @Test
  void withDropRemovedColumnsAColumnNoViewUsesIsDroppedAndTheViewsKeepWorking() throws Exception {
    config.put("drop_removed_columns", true);
    assertSucceeded(sync(append("note", "string"), people(1, 2)));
    buildOnTheTable();

    ConnectorRun run = sync(append(null, null), people(3));

    assertThat(logs(run)).contains("INFO Table " + schema + ".people: dropped columns note, which the stream no longer has.");
    assertThat(columnType("people", "note")).isNull();
    assertTheReaderReadsTableAndView("1", "2", "3");
  }

  @Test
  void withDropRemovedColumnsAColumnAViewUsesIsKeptAndTheLogSaysWhy() throws Exception {
    config.put("drop_removed_columns", true);
    assertSucceeded(sync(append("note", "string"), people(1, 2)));
    buildOnTheTable();
    execute("CREATE VIEW " + q("notes") + " AS SELECT id, note FROM " + q("people"));

    ConnectorRun run = sync(append(null, null), people(3));

    assertSucceeded(run);
    assertThat(logs(run)).contains("WARN Table " + schema + ".people: kept column note, which the stream no longer has,"
        + " because views use it: " + schema + ".notes. New rows hold NULL in it. Drop those views (or change them"
        + " not to use it) to have it dropped, or set drop_cascade to drop it with them.");
    assertThat(readAsWriter("SELECT coalesce(note, '-') FROM " + q("notes") + " ORDER BY id"))
        .containsExactly("note 1", "note 2", "-");
    assertTheReaderReadsTableAndView("1", "2", "3");
  }

  @Test
  void withDropCascadeAColumnAViewUsesIsDroppedWithTheView() throws Exception {
    config.put("drop_removed_columns", true).put("drop_cascade", true);
    assertSucceeded(sync(append("note", "string"), people(1, 2)));
    buildOnTheTable();
    execute("CREATE VIEW " + q("notes") + " AS SELECT id, note FROM " + q("people"));

    ConnectorRun run = sync(append(null, null), people(3));

    assertThat(logs(run)).contains("WARN Table " + schema + ".people: dropping column note, which the stream no longer"
        + " has, drops with it (drop_cascade) the views that use it: " + schema + ".notes.");
    assertThat(columnType("people", "note")).isNull();
    assertThat(readAsWriter("SELECT count(*) FROM pg_views WHERE schemaname = '" + schema + "' AND viewname = 'notes'"))
        .containsExactly("0");
    assertTheReaderReadsTableAndView("1", "2", "3");
  }

  @Test
  void aTypeChangeUnderAViewOfAnotherRoleIsAConfigErrorSayingWhichGrantLetsTheSyncRecreateIt() throws Exception {
    assertSucceeded(sync(append("age", "integer"), people(1)));
    execute("GRANT USAGE, CREATE ON SCHEMA " + quote(schema) + " TO " + quote(ANALYST),
        "GRANT SELECT ON " + q("people") + " TO " + quote(ANALYST));
    server.execute(DEFAULT_DATABASE, "SET ROLE " + quote(ANALYST) + "; CREATE VIEW " + q("theirs")
        + " AS SELECT id, age FROM " + q("people"));

    ConnectorRun run = sync(append("age", "string"), people(2));

    assertThat(configError(run))
        .contains("Table " + schema + ".people: the type change of column age needs view " + schema + ".theirs")
        .contains("it belongs to role " + ANALYST)
        .contains("GRANT " + quote(ANALYST) + " TO " + quote(PostgresTarget.WRITER));
    assertThat(columnType("people", "age")).as("nothing changed").isEqualTo("bigint");
  }

  @Test
  void aViewThatCannotWorkWithTheNewTypeIsAConfigErrorNamingItAndNothingChanges() throws Exception {
    assertSucceeded(sync(append("age", "integer"), people(1)));
    execute("CREATE VIEW " + q("next_ages") + " AS SELECT id, age + 1 AS next_age FROM " + q("people"));

    ConnectorRun run = sync(append("age", "string"), people(2));

    assertThat(configError(run))
        .contains("view " + schema + ".next_ages cannot be recreated after the type change of column age")
        .contains("operator does not exist");
    assertThat(columnType("people", "age")).isEqualTo("bigint");
    assertThat(readAsWriter("SELECT next_age FROM " + q("next_ages"))).containsExactly("22");
  }

  @Test
  void aRefreshOfATableWithNothingToKeepSwapsInTheNewTable() throws Exception {
    assertSucceeded(sync(refresh(1, "age", "integer"), people(1)));
    long oid = tableOid();

    ConnectorRun run = sync(refresh(2, "age", "integer"), people(2));

    assertThat(logs(run)).noneSatisfy(log -> assertThat(log).contains("replaces its rows in place"));
    assertThat(tableOid()).isNotEqualTo(oid);
    assertThat(readAsWriter("SELECT id FROM " + q("people"))).containsExactly("2");
  }

  @Test
  void aDedupeRefreshKeepsTheViewAndTheDedupeKeyIndex() throws Exception {
    assertSucceeded(sync(dedupe(0, 0), people(1, 2)));
    buildOnTheTable();
    List<String> keyIndex = readAsWriter("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema
        + "' AND indexname LIKE 'people\\_dedupe\\_key\\_%'");
    assertThat(keyIndex).hasSize(1);

    assertSucceeded(sync(dedupe(1, 1), new SyncInput()
        .record(stream(), 1000, person(3)).record(stream(), 2000, person(3).put("name", "Three again"))
        .complete(stream())));

    assertThat(readAsWriter("SELECT name FROM " + q("adults"))).containsExactly("Three again");
    assertTheReaderReadsTableAndView("3");
    assertThat(readAsWriter("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema
        + "' AND indexname LIKE 'people\\_dedupe\\_key\\_%'")).isEqualTo(keyIndex);
  }

  // ---- what the user builds

  /** A view and a view on it, grants to the reader on the table and the view, comments and an index. */
  private void buildOnTheTable() throws SQLException {
    execute("CREATE VIEW " + q("adults") + " AS SELECT id, name, age FROM " + q("people") + " WHERE id > 0",
        "CREATE VIEW " + q("adult_names") + " AS SELECT id, name FROM " + q("adults"),
        "GRANT USAGE ON SCHEMA " + quote(schema) + " TO " + quote(READER),
        "GRANT SELECT ON " + q("people") + " TO " + quote(READER),
        "GRANT SELECT ON " + q("adults") + " TO " + quote(READER),
        "COMMENT ON TABLE " + q("people") + " IS 'People of the source'",
        "COMMENT ON VIEW " + q("adults") + " IS 'Adults only'",
        "CREATE INDEX people_name ON " + q("people") + " (name)");
  }

  private List<String> commentsAndIndex() throws SQLException {
    List<String> found = new ArrayList<>(readAsWriter("SELECT obj_description('" + q("people") + "'::regclass, 'pg_class')"));
    found.addAll(readAsWriter("SELECT obj_description('" + q("adults") + "'::regclass, 'pg_class')"));
    found.addAll(readAsWriter("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema
        + "' AND tablename = 'people' AND indexname = 'people_name'"));
    return found;
  }

  private void assertTheReaderReadsTableAndView(String... ids) throws SQLException {
    try (Connection reader = connectAs(READER, READER_PASSWORD)) {
      assertThat(read(reader, "SELECT id FROM " + q("people") + " ORDER BY id")).as("the table, as the reader")
          .containsExactly(ids);
      assertThat(read(reader, "SELECT id FROM " + q("adults") + " ORDER BY id")).as("the view, as the reader")
          .containsExactly(ids);
    }
  }

  // ---- streams and records: people(id, name, age, [note])

  private StreamDescriptor stream() {
    return new StreamDescriptor(schema, "people");
  }

  /** People with this optional column of this JSON schema type (none when null). */
  private ObjectNode configured(String column, String type) {
    ObjectNode jsonSchema = MessageCodec.MAPPER.createObjectNode().put("type", "object");
    ObjectNode properties = jsonSchema.putObject("properties");
    properties.putObject("id").put("type", "integer");
    properties.putObject("name").put("type", "string");
    if (!"age".equals(column)) {
      properties.putObject("age").put("type", "integer");
    }
    if (column != null) {
      properties.putObject(column).put("type", type);
    }
    return TestCatalogs.stream(schema, "people", jsonSchema);
  }

  private ObjectNode append(String column, String type) {
    return configured(column, type);
  }

  private ObjectNode refresh(long generation, String column, String type) {
    return configured(column, type).put("generation_id", generation).put("minimum_generation_id", generation);
  }

  private ObjectNode dedupe(long generation, long minimum) {
    ObjectNode stream = configured(null, null).put("generation_id", generation).put("minimum_generation_id", minimum)
        .put("destination_sync_mode", "append_dedup");
    stream.putArray("primary_key").addArray().add("id");
    return stream;
  }

  private static ObjectNode person(int id) {
    return MessageCodec.MAPPER.createObjectNode().put("id", id).put("name", "Person " + id).put("age", 20 + id)
        .put("note", "note " + id);
  }

  private SyncInput people(int... ids) {
    SyncInput input = new SyncInput();
    for (int id : ids) {
      input.record(stream(), 1000L * id, person(id));
    }
    return input.complete(stream());
  }

  // ---- database access

  private String q(String name) {
    return quote(schema) + "." + quote(name);
  }

  private void execute(String... statements) throws SQLException {
    try (Connection writer = connectAs(PostgresTarget.WRITER, PostgresTarget.WRITER_PASSWORD);
        Statement statement = writer.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private List<String> readAsWriter(String sql) throws SQLException {
    try (Connection writer = connectAs(PostgresTarget.WRITER, PostgresTarget.WRITER_PASSWORD)) {
      return read(writer, sql);
    }
  }

  private static List<String> read(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private long tableOid() throws SQLException {
    return Long.parseLong(readAsWriter("SELECT '" + q("people") + "'::regclass::oid").get(0));
  }

  /** The column's type as information_schema gives it, or null when there is no such column. */
  private String columnType(String table, String column) throws SQLException {
    List<String> types = readAsWriter("SELECT data_type FROM information_schema.columns WHERE table_schema = '" + schema
        + "' AND table_name = '" + table + "' AND column_name = '" + column + "'");
    return types.isEmpty() ? null : types.get(0);
  }

  private static Connection connectAs(String role, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", role);
    properties.setProperty("password", password);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.get().port() + "/" + DEFAULT_DATABASE, properties);
  }

  // ---- runs

  private ConnectorRun sync(ObjectNode configuredStream, SyncInput input) {
    return ConnectorRun.write(
        new PostgresDestination(), config, TestCatalogs.catalog(configuredStream), input.text(), tempDir);
  }

  private static void assertSucceeded(ConnectorRun run) {
    assertThat(run.exitCode()).as("stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
  }

  /** The run's LOG messages as "LEVEL message". */
  private static List<String> logs(ConnectorRun run) {
    assertSucceeded(run);
    return run.messages(MessageType.LOG).stream()
        .map(log -> log.json().path("log").path("level").asText() + " " + log.json().path("log").path("message").asText())
        .toList();
  }

  /** The message of the run's one error, which must be a config_error. */
  private static String configError(ConnectorRun run) {
    assertThat(run.exitCode()).as("exit code; stderr %s", run.stderr()).isEqualTo(1);
    List<io.destkit.protocol.ProtocolMessage> traces = run.messages(MessageType.TRACE);
    JsonNode error = traces.get(traces.size() - 1).json().path("trace").path("error");
    assertThat(error.path("failure_type").asText()).as("error %s", error).isEqualTo("config_error");
    return error.path("message").asText();
  }
}
