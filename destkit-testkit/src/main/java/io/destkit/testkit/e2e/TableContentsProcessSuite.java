package io.destkit.testkit.e2e;

import static io.destkit.testkit.e2e.ConnectorProcess.readJson;
import static io.destkit.testkit.e2e.ConnectorProcess.writeJson;
import static io.destkit.testkit.e2e.DatabaseReader.decimal;
import static io.destkit.testkit.e2e.DatabaseReader.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.typing.AirbyteType;
import io.destkit.protocol.JsonConfiguration;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact table contents for our own fixtures: typed values, meta columns, and appending syncs. */
public abstract class TableContentsProcessSuite<C> extends ProcessSuite<C> {
  private static final String USER_COLUMNS =
      "id, name, amount, active, born, seen_at, local_at, wake, tags, attrs, mixed_case";

  private String dataType(AirbyteType type) {
    return target().dataType(type).toLowerCase(Locale.ROOT);
  }

  private static String change(String field, String change, String reason) {
    return "{\"field\":\"" + field + "\",\"change\":\"" + change + "\",\"reason\":\"" + reason + "\"}";
  }

  private static String nulled(String field, String reason) {
    return change(field, "NULLED", reason);
  }

  /** Asserts {@code _airbyte_meta} has the sync id and exactly these changes, in any order. */
  private static void assertMeta(Object meta, long syncId, String... changes) {
    JsonNode node = (JsonNode) meta;
    assertThat(node.fieldNames()).toIterable().containsExactlyInAnyOrder("sync_id", "changes");
    assertThat(node.path("sync_id").asLong()).isEqualTo(syncId);
    List<JsonNode> expected = new ArrayList<>();
    for (String change : changes) {
      expected.add(readJson(change));
    }
    List<JsonNode> actual = new ArrayList<>();
    node.path("changes").forEach(actual::add);
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void typedValuesAreStoredExactlyWithTimestampsNormalisedToUtcAndInvalidValuesNulled() {
    Result result = write(fixture("typed_catalog.json"), fixture("typed_messages.jsonl")).assertSucceeded();

    result.assertStatesEchoedFrom(fixture("typed_messages.jsonl"));
    assertThat(result.recordCounts()).containsExactly(4.0);
    // The namespace and the stream name are sanitized; the default schema is not used.
    assertThat(db().tables()).containsExactly("sales_eu.typed_values");
    Map<String, String> expectedColumns = new LinkedHashMap<>();
    for (String meta : MetaColumns.ALL) {
      expectedColumns.put(meta, target().metaColumnDataType(meta).toLowerCase(Locale.ROOT));
    }
    expectedColumns.put("id", dataType(AirbyteType.INTEGER));
    expectedColumns.put("name", dataType(AirbyteType.STRING));
    expectedColumns.put("amount", dataType(AirbyteType.NUMBER));
    expectedColumns.put("active", dataType(AirbyteType.BOOLEAN));
    expectedColumns.put("born", dataType(AirbyteType.DATE));
    expectedColumns.put("seen_at", dataType(AirbyteType.TIMESTAMP_WITH_TIMEZONE));
    expectedColumns.put("local_at", dataType(AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE));
    expectedColumns.put("wake", dataType(AirbyteType.TIME_WITHOUT_TIMEZONE));
    expectedColumns.put("tags", dataType(AirbyteType.ARRAY_WITHOUT_SCHEMA));
    expectedColumns.put("attrs", dataType(AirbyteType.OBJECT_WITHOUT_SCHEMA));
    expectedColumns.put("mixed_case", dataType(AirbyteType.STRING));
    assertThat(db().columns("sales_eu", "typed_values")).containsExactlyEntriesOf(expectedColumns);

    List<Map<String, Object>> rows =
        db().query("SELECT " + USER_COLUMNS + " FROM sales_eu.typed_values ORDER BY _airbyte_extracted_at");
    assertThat(rows)
        .containsExactly(
            row("id", 1L, "name", "Alice", "amount", decimal("12.5"), "active", true,
                "born", LocalDate.parse("1990-02-28"),
                "seen_at", Instant.parse("2024-03-01T10:30:00Z"),
                "local_at", LocalDateTime.parse("2024-03-01T12:30:00"),
                "wake", LocalTime.parse("07:15:00"),
                "tags", readJson("[\"a\",\"b\"]"), "attrs", readJson("{\"k\":\"v\"}"), "mixed_case", "MC"),
            // Numeric and boolean strings are accepted; -0800 with microseconds; unknown fields dropped.
            row("id", 2L, "name", null, "amount", decimal("3.14"), "active", false,
                "born", LocalDate.parse("2024-02-29"),
                "seen_at", Instant.parse("2024-03-01T20:30:00.123456Z"),
                "local_at", LocalDateTime.parse("2024-03-01T23:59:59.999999"),
                "wake", LocalTime.parse("23:59:59.5"),
                "tags", null, "attrs", null, "mixed_case", null),
            // +05 offset; out-of-range and wrongly typed values NULLed (1e40 fits only a number of any size).
            row("id", 3L, "name", null, "amount", target().holdsNumbersOfAnySize() ? decimal("1e40") : null,
                "active", null, "born", null,
                "seen_at", Instant.parse("2024-02-29T19:00:00Z"),
                "local_at", null, "wake", null, "tags", null, "attrs", null, "mixed_case", null),
            // An integer beyond 64 bits is NULLed; a timestamp without offset is UTC.
            row("id", null, "name", null, "amount", null, "active", null, "born", null,
                "seen_at", Instant.parse("2024-03-01T12:30:00Z"),
                "local_at", null, "wake", null, "tags", null, "attrs", null, "mixed_case", null));
  }

  @Test
  void metaColumnsCarryEmittedAtTheCatalogGenerationAndSourceChangesPlusDestinationChanges() {
    write(fixture("typed_catalog.json"), fixture("typed_messages.jsonl")).assertSucceeded();

    List<Map<String, Object>> rows =
        db().query("SELECT _airbyte_raw_id, _airbyte_extracted_at, _airbyte_generation_id, _airbyte_meta "
            + "FROM sales_eu.typed_values ORDER BY _airbyte_extracted_at");
    assertThat(rows).extracting(r -> r.get("_airbyte_extracted_at"))
        .containsExactly(
            Instant.ofEpochMilli(1700000000123L), Instant.ofEpochMilli(1700000001000L),
            Instant.ofEpochMilli(1700000002000L), Instant.ofEpochMilli(1700000003000L));
    assertThat(rows).extracting(r -> r.get("_airbyte_generation_id")).containsOnly(5L);
    assertThat(rows).extracting(r -> r.get("_airbyte_raw_id")).doesNotContainNull().doesNotHaveDuplicates();

    assertMeta(rows.get(0).get("_airbyte_meta"), 42, nulled("ssn", "SOURCE_RETRIEVAL_ERROR"));
    assertMeta(rows.get(1).get("_airbyte_meta"), 42);
    List<String> thirdChanges = new ArrayList<>(List.of(
        change("name", "TRUNCATED", "SOURCE_FIELD_SIZE_LIMITATION"),
        nulled("active", "DESTINATION_SERIALIZATION_ERROR"),
        nulled("born", "DESTINATION_SERIALIZATION_ERROR"),
        nulled("tags", "DESTINATION_SERIALIZATION_ERROR")));
    if (!target().holdsNumbersOfAnySize()) {
      thirdChanges.add(nulled("amount", "DESTINATION_FIELD_SIZE_LIMITATION"));
    }
    assertMeta(rows.get(2).get("_airbyte_meta"), 42, thirdChanges.toArray(String[]::new));
    assertMeta(
        rows.get(3).get("_airbyte_meta"),
        42,
        nulled("id", "DESTINATION_FIELD_SIZE_LIMITATION"),
        nulled("local_at", "DESTINATION_SERIALIZATION_ERROR"));
  }

  @Test
  void aSecondSyncAppendsAndOverwriteWithMinimumGenerationZeroAppendsTooUnderItsOwnGeneration() {
    Path messages = fixture("users_messages.jsonl");
    Path append = fixture("users_catalog.json");
    write(append, messages).assertSucceeded().assertStatesEchoedFrom(messages);
    write(append, messages).assertSucceeded().assertStatesEchoedFrom(messages);

    ObjectNode overwrite = (ObjectNode) readJson(append).deepCopy();
    ObjectNode stream = (ObjectNode) overwrite.withArray("streams").get(0);
    stream.put("sync_mode", "full_refresh").put("destination_sync_mode", "overwrite").put("generation_id", 4);
    Result third = write(writeJson(workDir().resolve("overwrite.json"), overwrite), messages).assertSucceeded();

    assertThat(third.recordCounts()).containsExactly(2.0);
    assertThat(db().query("SELECT id, name, _airbyte_generation_id AS g FROM main.users ORDER BY g, id"))
        .containsExactly(
            row("id", 1L, "name", "Ann", "g", 3L),
            row("id", 1L, "name", "Ann", "g", 3L),
            row("id", 2L, "name", "Bob", "g", 3L),
            row("id", 2L, "name", "Bob", "g", 3L),
            row("id", 1L, "name", "Ann", "g", 4L),
            row("id", 2L, "name", "Bob", "g", 4L));
    assertThat(db().queryValue("SELECT count(DISTINCT _airbyte_raw_id) FROM main.users")).isEqualTo(6L);
  }

  /** Compact JSON nested {@code depth} levels: {@code {"k":{"k":...1...}}}. */
  private static String nested(int depth) {
    return "{\"k\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  @Test
  void deeplyNestedValuesAreStoredUpToTheDepthLimitAndNulledBeyondItWithoutFailingTheSync() {
    int limit = JsonConfiguration.MAX_VALUE_DEPTH;
    Path catalog = fixture("typed_catalog.json");
    List<String> lines = new ArrayList<>();
    int[] depths = {1_500, limit, limit + 1, 20_000};
    for (int i = 0; i < depths.length; i++) {
      lines.add("{\"type\":\"RECORD\",\"record\":{\"namespace\":\"Sales-EU\",\"stream\":\"Typed Values\","
          + "\"emitted_at\":" + (1700000000000L + i) + ",\"data\":{\"id\":" + (i + 1) + ",\"attrs\":" + nested(depths[i])
          + ",\"undeclared\":" + nested(20_000) + "}}}");
    }
    lines.add("{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":"
        + "{\"namespace\":\"Sales-EU\",\"name\":\"Typed Values\"},\"stream_state\":{\"deep\":" + nested(1_500) + "}}}}");
    Path messages = ConnectorProcess.withCompleteStatuses(
        ConnectorProcess.writeLines(workDir().resolve("deep_messages.jsonl"), lines), catalog, workDir());

    write(catalog, messages).assertSucceeded().assertStatesEchoedFrom(messages);

    List<Map<String, Object>> rows = db().query(
        "SELECT id, CAST(attrs AS VARCHAR) AS attrs, _airbyte_meta FROM sales_eu.typed_values ORDER BY id");
    assertThat(rows).extracting(r -> r.get("id")).containsExactly(1L, 2L, 3L, 4L);
    // Compared without whitespace: PostgreSQL's jsonb prints a space after each colon.
    assertThat(rows).extracting(r -> r.get("attrs") == null ? null : ((String) r.get("attrs")).replace(" ", ""))
        .containsExactly(nested(1_500), nested(limit), null, null);
    assertMeta(rows.get(0).get("_airbyte_meta"), 42);
    assertMeta(rows.get(1).get("_airbyte_meta"), 42);
    assertMeta(rows.get(2).get("_airbyte_meta"), 42, nulled("attrs", "DESTINATION_FIELD_SIZE_LIMITATION"));
    assertMeta(rows.get(3).get("_airbyte_meta"), 42, nulled("attrs", "DESTINATION_FIELD_SIZE_LIMITATION"));
  }
}
