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
 * Schema changes between syncs of an append stream: columns added and dropped, types changed with a
 * safe cast (a value that cannot be cast becomes NULL; the sync does not fail).
 */
public abstract class SchemaEvolutionSuite<C> extends BasicFunctionalitySuite<C> {

  /** A stream of an integer {@code id} and one field {@code value} of this JSON schema type. */
  private static ObjectNode valueStream(String valueType) {
    return stream(null, "evolving",
        json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"value\":" + valueType + "}}"));
  }

  /** Syncs records {@code {"id": i, "value": values[i]}}, ids starting at {@code firstId}. */
  private void syncValues(ObjectNode stream, int firstId, String... values) {
    StreamDescriptor descriptor = descriptor(stream);
    SyncInput input = new SyncInput();
    for (int i = 0; i < values.length; i++) {
      input.record(descriptor, 1000L * (firstId + i), json("{\"id\":" + (firstId + i) + ",\"value\":" + values[i] + "}"));
    }
    sync(catalog(stream), input.complete(descriptor));
  }

  /** id to the canonical value (see {@link ComparableRows}); "<null>" for SQL NULL. */
  private Map<String, String> valuesById(ObjectNode stream) throws Exception {
    Map<String, String> values = new TreeMap<>();
    finalRows(catalog(stream), 0).forEach(row -> values.put(row.get("id"), row.getOrDefault("value", "<null>")));
    return values;
  }

  @Test
  void aDroppedColumnIsRemovedFromTheTable() throws Exception {
    // Airbyte's testIncrementalSyncDropOneColumn.
    ObjectNode first = append(datStream(null, "drop_column"), "updated_at");
    sync(catalog(first), completeSync(first, dat("sync1_messages.jsonl")));

    ObjectNode withoutName = Vectors.json(DAT + "schema.json").deepCopy();
    ((ObjectNode) withoutName.get("properties")).remove("name");
    ObjectNode second = append(stream(null, "drop_column", withoutName), "updated_at");
    sync(catalog(second), completeSync(second, dat("sync2_messages.jsonl")));

    assertFinalRows(catalog(second), Fixtures.edited(
        Fixtures.withGeneration(dat("sync2_expectedrecords_fullrefresh_append_final.jsonl"), 0),
        row -> row.remove("name")));
  }

  @Test
  void aTableOfAnOlderLayoutWithoutSomeMetaColumnsAndWithNotNullColumnsIsMigrated() throws Exception {
    ObjectNode stream = valueStream("{\"type\":\"string\"}");
    JsonNode catalog = catalog(stream);
    StreamTables tables = tables(catalog, 0);
    try (TestDatabase database = database()) {
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
    syncValues(valueStream("{\"type\":\"integer\"}"), 1, "42", "-7", "null");
    syncValues(valueStream("{\"type\":\"string\"}"), 4, "\"four\"");

    assertThat(valuesById(valueStream("{\"type\":\"string\"}")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("1", "42", "2", "-7", "3", "<null>", "4", "four"));
  }

  @Test
  void aStringColumnBecomingAnIntegerNullsTheValuesThatAreNotIntegers() throws Exception {
    syncValues(valueStream("{\"type\":\"string\"}"), 1, "\"12\"", "\"twelve\"", "\"\"");
    syncValues(valueStream("{\"type\":\"integer\"}"), 4, "4");

    assertThat(valuesById(valueStream("{\"type\":\"integer\"}")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("1", "12", "2", "<null>", "3", "<null>", "4", "4"));
  }

  @Test
  void anUnknownColumnBecomingAStringKeepsEachValueAsJsonText() throws Exception {
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
