package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.protocol.StreamDescriptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Schema changes between syncs: columns added; columns the stream no longer has (or added by hand)
 * kept, or dropped at a complete close when the config asks for it; types changed with a safe cast
 * (a value that cannot be cast becomes NULL, the count reported; the sync does not fail).
 */
public abstract class SchemaEvolutionSuite<C> extends BasicFunctionalitySuite<C> {

  /** A stream of an integer {@code id} and one field {@code value} of this JSON schema type. */
  private static ObjectNode valueStream(String valueType) {
    return stream(null, "evolving",
        json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"value\":" + valueType + "}}"));
  }

  /** Syncs records {@code {"id": i, "value": values[i]}}, ids starting at {@code firstId}. */
  private ConnectorRun syncValues(ObjectNode stream, int firstId, String... values) {
    StreamDescriptor descriptor = descriptor(stream);
    SyncInput input = new SyncInput();
    for (int i = 0; i < values.length; i++) {
      input.record(descriptor, 1000L * (firstId + i), json("{\"id\":" + (firstId + i) + ",\"value\":" + values[i] + "}"));
    }
    return sync(catalog(stream), input.complete(descriptor));
  }

  /** id to the canonical value (see {@link ComparableRows}); "<null>" for SQL NULL. */
  private Map<String, String> valuesById(ObjectNode stream) throws Exception {
    Map<String, String> values = new TreeMap<>();
    finalRows(catalog(stream), 0).forEach(row -> values.put(row.get("id"), row.getOrDefault("value", "<null>")));
    return values;
  }

  @Test
  void withDropRemovedColumnsAColumnTheStreamNoLongerHasIsRemovedFromTheTable() throws Exception {
    assumeBehavior(TestTarget.Behavior.DROP_REMOVED_COLUMNS);
    // Airbyte's testIncrementalSyncDropOneColumn, whose destinations drop the column.
    JsonNode config = target().dropRemovedColumnsConfig(configJson());
    ObjectNode first = append(datStream(null, "drop_column"), "updated_at");
    sync(config, catalog(first), completeSync(first, dat("sync1_messages.jsonl")));

    ObjectNode withoutName = Vectors.json(DAT + "schema.json").deepCopy();
    ((ObjectNode) withoutName.get("properties")).remove("name");
    ObjectNode second = append(stream(null, "drop_column", withoutName), "updated_at");
    sync(config, catalog(second), completeSync(second, dat("sync2_messages.jsonl")));

    assertFinalRows(catalog(second), Fixtures.edited(
        Fixtures.withGeneration(dat("sync2_expectedrecords_fullrefresh_append_final.jsonl"), 0),
        row -> row.remove("name")));
  }

  /** A stream of an integer {@code id}, a string {@code value} and, if asked, a string {@code extra}. */
  private static ObjectNode extraStream(boolean withExtra) {
    return stream(null, "shrinking", json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
        + "\"value\":{\"type\":\"string\"}" + (withExtra ? ",\"extra\":{\"type\":\"string\"}" : "") + "}}"));
  }

  /** The input: one record {@code {"id": id, "value": value, "extra": "extra <id>"}} per id. */
  private static SyncInput extraRecords(ObjectNode stream, int... ids) {
    SyncInput input = new SyncInput();
    for (int id : ids) {
      input.record(descriptor(stream), 1000L * id,
          json("{\"id\":" + id + ",\"value\":\"value " + id + "\",\"extra\":\"extra " + id + "\"}"));
    }
    return input;
  }

  /** The names of the table's columns, in table order. */
  private List<String> tableColumns(StreamTables tables) throws Exception {
    try (TableReader reader = tableReader()) {
      return reader.columnNames(tables.finalTable());
    }
  }

  /** The text of one table column by the row's {@code id} ("<null>" for SQL NULL). */
  private Map<String, String> columnById(StreamTables tables, String column) throws Exception {
    String id = tables.columns().get(0).name();
    Map<String, String> values = new TreeMap<>();
    rows(tables).forEach(row -> values.put(row.values().get(id), String.valueOf(row.values().get(column))));
    return values;
  }

  @Test
  void aColumnTheStreamNoLongerHasIsKeptWithItsValuesAndIsNullInNewRows() throws Exception {
    ObjectNode wide = extraStream(true);
    sync(catalog(wide), extraRecords(wide, 1).complete(descriptor(wide)));
    String extra = tables(catalog(wide), 0).columns().get(2).name();

    ObjectNode narrow = extraStream(false);
    StreamTables tables = tables(catalog(narrow), 0);
    sync(catalog(narrow), extraRecords(narrow, 2).complete(descriptor(narrow)));
    ConnectorRun run = sync(catalog(narrow), extraRecords(narrow, 3).complete(descriptor(narrow)));

    assertThat(logs(run)).contains("INFO Table " + readable(tables) + ": kept columns " + extra
        + ", which the stream does not have; new rows hold NULL in them.");
    assertThat(tableColumns(tables)).contains(extra);
    assertThat(columnById(tables, extra)).containsExactly(
        Map.entry("1", "extra 1"), Map.entry("2", "null"), Map.entry("3", "null"));
    assertThat(columnById(tables, tables.columns().get(1).name())).containsExactly(
        Map.entry("1", "value 1"), Map.entry("2", "value 2"), Map.entry("3", "value 3"));
  }

  @Test
  void rowsAFailedRefreshLeftAreRecoveredIntoATableThatKeepsAColumnTheStreamNoLongerHas() throws Exception {
    ObjectNode wide = extraStream(true);
    sync(catalog(wide), extraRecords(wide, 1).complete(descriptor(wide)));
    String extra = tables(catalog(wide), 0).columns().get(2).name();
    // A refresh cut off after a STATE: its rows stay in the temp table, the final table keeps its data.
    ObjectNode refresh = generations(extraStream(false), 1, 1);
    failedSync(catalog(refresh), extraRecords(refresh, 2).state(descriptor(refresh), Fixtures.json("{\"id\":2}")));

    ObjectNode narrow = generations(extraStream(false), 2, 0);
    StreamTables tables = tables(catalog(narrow), 0);
    sync(catalog(narrow), extraRecords(narrow, 3).complete(descriptor(narrow)));

    assertThat(columnById(tables, extra))
        .containsExactly(Map.entry("1", "extra 1"), Map.entry("2", "null"), Map.entry("3", "null"));
    assertThat(columnById(tables, tables.columns().get(1).name()))
        .containsExactly(Map.entry("1", "value 1"), Map.entry("2", "value 2"), Map.entry("3", "value 3"));
  }

  @Test
  void aCompleteTruncateRefreshReplacesTheTableWithOneOfTheStreamsColumns() throws Exception {
    ObjectNode wide = extraStream(true);
    sync(catalog(wide), extraRecords(wide, 1).complete(descriptor(wide)));
    String extra = tables(catalog(wide), 0).columns().get(2).name();

    ObjectNode refresh = generations(extraStream(false), 1, 1);
    StreamTables tables = tables(catalog(refresh), 0);
    failedSync(catalog(refresh), extraRecords(refresh, 2).state(descriptor(refresh), Fixtures.json("{\"id\":2}")));
    assertThat(tableColumns(tables)).as("after the failed refresh").contains(extra);
    sync(catalog(refresh), extraRecords(refresh, 3).complete(descriptor(refresh)));

    // Every old row is replaced, and with them the values of the column the stream no longer has.
    assertThat(tableColumns(tables)).doesNotContain(extra);
    assertThat(columnById(tables, tables.columns().get(1).name()))
        .containsExactly(Map.entry("2", "value 2"), Map.entry("3", "value 3"));
  }

  @Test
  void aColumnAddedByHandSurvivesAppendAndDedupeSyncsWithItsValues() throws Exception {
    ObjectNode appended = extraStream(false);
    ObjectNode deduped = dedupe(stream(null, "deduped", extraStream(false).path("stream").path("json_schema")), null, "id");
    JsonNode catalog = catalog(appended, deduped);
    sync(catalog, extraRecords(appended, 1)
        .record(descriptor(deduped), 1000, json("{\"id\":1,\"value\":\"one\"}"))
        .record(descriptor(deduped), 2000, json("{\"id\":2,\"value\":\"two\"}"))
        .complete(descriptor(appended), descriptor(deduped)));
    List<StreamTables> tables = List.of(tables(catalog, 0), tables(catalog, 1));
    try (TestDatabase database = database("adds a column by hand")) {
      for (StreamTables table : tables) {
        io.destkit.sql.SqlDialect dialect = database.operations().dialect();
        String qualified = dialect.qualified(table.finalTable());
        database.operations().execute("ALTER TABLE " + qualified + " ADD COLUMN " + dialect.quote("note") + " "
            + dialect.columnType(io.destkit.core.typing.AirbyteType.STRING));
        database.operations().execute("UPDATE " + qualified + " SET " + dialect.quote("note") + " = 'by hand'");
      }
    }

    sync(catalog, extraRecords(appended, 2)
        .record(descriptor(deduped), 3000, json("{\"id\":2,\"value\":\"deux\"}"))
        .record(descriptor(deduped), 4000, json("{\"id\":3,\"value\":\"trois\"}"))
        .complete(descriptor(appended), descriptor(deduped)));

    assertThat(columnById(tables.get(0), "note")).containsExactly(Map.entry("1", "by hand"), Map.entry("2", "null"));
    // The newer version of key 2 replaced the row the note was on.
    assertThat(columnById(tables.get(1), "note"))
        .containsExactly(Map.entry("1", "by hand"), Map.entry("2", "null"), Map.entry("3", "null"));
    assertThat(columnById(tables.get(1), tables.get(1).columns().get(1).name()))
        .containsExactly(Map.entry("1", "one"), Map.entry("2", "deux"), Map.entry("3", "trois"));
  }

  @Test
  void withDropRemovedColumnsAColumnIsDroppedOnlyAtTheCloseOfACompleteSync() throws Exception {
    assumeBehavior(TestTarget.Behavior.DROP_REMOVED_COLUMNS);
    JsonNode config = target().dropRemovedColumnsConfig(configJson());
    ObjectNode wide = extraStream(true);
    sync(config, catalog(wide), extraRecords(wide, 1).complete(descriptor(wide)));
    String extra = tables(catalog(wide), 0).columns().get(2).name();
    ObjectNode narrow = extraStream(false);
    StreamTables tables = tables(catalog(narrow), 0);

    // Incomplete: the input ends without STREAM_STATUS COMPLETE.
    ConnectorRun incomplete = run(config, catalog(narrow), extraRecords(narrow, 2));
    assertThat(incomplete.exitCode()).as("exit code of the incomplete sync").isEqualTo(1);
    assertThat(tableColumns(tables)).contains(extra);
    // Failed: a line that is not a message, after a committed record.
    ConnectorRun failed = ConnectorRun.write(destination(), config, catalog(narrow),
        extraRecords(narrow, 3).text() + "not a message\n" + extraRecords(narrow, 4).complete(descriptor(narrow)).text(),
        tempDir);
    assertThat(failed.exitCode()).as("exit code of the failed sync").isEqualTo(1);
    assertThat(tableColumns(tables)).contains(extra);
    assertThat(columnById(tables, extra)).containsEntry("1", "extra 1");

    ConnectorRun complete = sync(config, catalog(narrow), extraRecords(narrow, 5).complete(descriptor(narrow)));

    assertThat(logs(complete)).contains(
        "INFO Table " + readable(tables) + ": dropped columns " + extra + ", which the stream no longer has.");
    assertThat(tableColumns(tables)).doesNotContain(extra);
    assertThat(columnById(tables, tables.columns().get(1).name())).containsEntry("1", "value 1").containsEntry("5", "value 5");
  }

  @Test
  void aTypeChangeSaysInALogMessageHowManyValuesItNulled() throws Exception {
    assumeBehavior(TestTarget.Behavior.COLUMN_TYPE_CHANGE);
    ObjectNode text = valueStream("{\"type\":\"string\"}");
    syncValues(text, 1, "\"12\"", "\"twelve\"", "\"\"", "null");
    StreamTables tables = tables(catalog(text), 0);
    String column = tables.columns().get(1).name();
    String fromType;
    String toType;
    try (TestDatabase database = database("reads the column's SQL type")) {
      fromType = database.operations().describe(tables.finalTable()).stream()
          .filter(info -> info.name().equals(column)).findFirst().orElseThrow().type();
      toType = database.operations().dialect().columnType(io.destkit.core.typing.AirbyteType.INTEGER);
    }

    ConnectorRun run = syncValues(valueStream("{\"type\":\"integer\"}"), 5, "5");

    assertThat(logs(run)).contains("WARN Table " + readable(tables) + ": column " + column + " changed from type " + fromType + " to " + toType
        + "; 2 values that could not be cast became NULL.");
  }

  /** The final table's name as the kit's LOG messages give it. */
  private static String readable(StreamTables tables) {
    return tables.finalTable().namespace() + "." + tables.finalTable().name();
  }

  /** The run's LOG messages as "LEVEL message". */
  private static List<String> logs(ConnectorRun run) {
    return run.messages(io.destkit.protocol.MessageType.LOG).stream()
        .map(log -> log.json().path("log").path("level").asText() + " " + log.json().path("log").path("message").asText())
        .toList();
  }

  @Test
  void aTableOfAnOlderLayoutWithoutSomeMetaColumnsAndWithNotNullColumnsIsMigrated() throws Exception {
    ObjectNode stream = valueStream("{\"type\":\"string\"}");
    JsonNode catalog = catalog(stream);
    StreamTables tables = tables(catalog, 0);
    try (TestDatabase database = database("creates a table of an older layout")) {
      io.destkit.sql.SqlDialect dialect = database.operations().dialect();
      io.destkit.core.catalog.TableName table = tables.finalTable();
      database.operations().createNamespace(table.namespace());
      // An older layout: no _airbyte_meta, no _airbyte_generation_id, and NOT NULL user columns.
      database.operations().execute("CREATE TABLE " + dialect.qualified(table) + " ("
          + dialect.quote("_airbyte_raw_id") + " " + dialect.metaColumnType("_airbyte_raw_id") + " NOT NULL, "
          + dialect.quote("_airbyte_extracted_at") + " " + dialect.metaColumnType("_airbyte_extracted_at") + " NOT NULL, "
          + dialect.quote(tables.columns().get(0).name()) + " " + dialect.columnType(tables.columns().get(0).type())
          + " NOT NULL, "
          + dialect.quote(tables.columns().get(1).name()) + " " + dialect.columnType(tables.columns().get(1).type())
          + " NOT NULL)");
    }

    syncValues(stream, 1, "\"kept\"", "null");

    assertThat(valuesById(stream)).containsExactly(Map.entry("1", "kept"), Map.entry("2", "<null>"));
    assertThat(rows(tables)).allSatisfy(row -> {
      assertThat(row.meta()).isNotNull();
      assertThat(row.generationId()).hasValue(0L);
    });
  }

  @Test
  void anAddedColumnIsNullInOlderRows() throws Exception {
    syncValues(valueStream("{\"type\":\"string\"}"), 1, "\"one\"");
    ObjectNode wider = stream(null, "evolving", json("{\"type\":\"object\",\"properties\":{"
        + "\"id\":{\"type\":\"integer\"},\"value\":{\"type\":\"string\"},\"added\":{\"type\":\"integer\"}}}"));
    StreamDescriptor descriptor = descriptor(wider);
    sync(catalog(wider), new SyncInput()
        .record(descriptor, 2000, json("{\"id\":2,\"value\":\"two\",\"added\":22}")).complete(descriptor));

    assertFinalRows(catalog(wider), List.of(
        json("{\"_airbyte_extracted_at\":1000,\"_airbyte_generation_id\":0,\"id\":1,\"value\":\"one\"}"),
        json("{\"_airbyte_extracted_at\":2000,\"_airbyte_generation_id\":0,\"id\":2,\"value\":\"two\",\"added\":22}")));
  }

  @Test
  void anIntegerColumnBecomingAStringKeepsItsValuesAsText() throws Exception {
    assumeBehavior(TestTarget.Behavior.COLUMN_TYPE_CHANGE);
    syncValues(valueStream("{\"type\":\"integer\"}"), 1, "42", "-7", "null");
    ConnectorRun run = syncValues(valueStream("{\"type\":\"string\"}"), 4, "\"four\"");

    assertThat(logs(run)).anySatisfy(log -> assertThat(log).startsWith("INFO Table ").endsWith("; every value was kept."));

    assertThat(valuesById(valueStream("{\"type\":\"string\"}")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("1", "42", "2", "-7", "3", "<null>", "4", "four"));
  }

  @Test
  void aStringColumnBecomingAnIntegerNullsTheValuesThatAreNotIntegers() throws Exception {
    assumeBehavior(TestTarget.Behavior.COLUMN_TYPE_CHANGE);
    syncValues(valueStream("{\"type\":\"string\"}"), 1, "\"12\"", "\"twelve\"", "\"\"");
    syncValues(valueStream("{\"type\":\"integer\"}"), 4, "4");

    assertThat(valuesById(valueStream("{\"type\":\"integer\"}")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("1", "12", "2", "<null>", "3", "<null>", "4", "4"));
  }

  @Test
  void anUnknownColumnBecomingAStringKeepsEachValueAsJsonText() throws Exception {
    assumeBehavior(TestTarget.Behavior.COLUMN_TYPE_CHANGE);
    syncValues(valueStream("{}"), 1, "{\"x\":1}", "[1,\"two\"]", "42", "true", "\"text\"");
    syncValues(valueStream("{\"type\":\"string\"}"), 6, "\"six\"");

    Map<String, String> values = valuesById(valueStream("{\"type\":\"string\"}"));
    assertThat(values.remove("6")).isEqualTo("six");
    // Each older value is its JSON text (a JSON string keeps its quotes), spaced as the database
    // writes JSON: compare it as JSON.
    values.replaceAll((id, text) -> ComparableRows.canonicalJson(json("{\"v\":" + text + "}").get("v")));
    assertThat(values).containsExactlyInAnyOrderEntriesOf(
        Map.of("1", "{\"x\":1}", "2", "[1,\"two\"]", "3", "42", "4", "true", "5", "\"text\""));
  }

  @Test
  void aStringColumnBecomingUnknownKeepsEachStringAsAJsonString() throws Exception {
    assumeBehavior(TestTarget.Behavior.COLUMN_TYPE_CHANGE);
    syncValues(valueStream("{\"type\":\"string\"}"), 1, "\"hello\"", "\"{\\\"a\\\":1}\"", "\"42\"");
    syncValues(valueStream("{}"), 4, "{\"b\":2}");

    assertThat(valuesById(valueStream("{}"))).containsExactlyInAnyOrderEntriesOf(Map.of(
        "1", "\"hello\"", "2", jsonString("{\"a\":1}"), "3", "\"42\"", "4", "{\"b\":2}"));
  }

  private static String jsonString(String text) {
    JsonNode node = json("{}").put("v", text).get("v");
    return ComparableRows.canonicalJson(node);
  }
}
