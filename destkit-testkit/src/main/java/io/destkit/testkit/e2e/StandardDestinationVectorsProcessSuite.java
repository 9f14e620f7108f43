package io.destkit.testkit.e2e;

import static io.destkit.testkit.e2e.ConnectorProcess.configuredAppendCatalog;
import static io.destkit.testkit.e2e.ConnectorProcess.readJson;
import static io.destkit.testkit.e2e.ConnectorProcess.readJsonLines;
import static io.destkit.testkit.e2e.ConnectorProcess.vector;
import static io.destkit.testkit.e2e.ConnectorProcess.withCompleteStatuses;
import static io.destkit.testkit.e2e.ConnectorProcess.writeJson;
import static io.destkit.testkit.e2e.DatabaseReader.decimal;
import static io.destkit.testkit.e2e.DatabaseReader.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.typing.AirbyteType;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The classic Airbyte destination acceptance vectors ({@code vectors/airbyte/standard_destination_test}). */
public abstract class StandardDestinationVectorsProcessSuite<C> extends ProcessSuite<C> {
  private static final String DIR = "airbyte/standard_destination_test/";

  @Test
  void edgeCaseStreamAndFieldNamesBecomeSanitizedLowerCaseTablesAndColumns() {
    Path catalog = configuredAppendCatalog(vector(DIR + "edge_case_catalog.json"), workDir());
    Path original = vector(DIR + "edge_case_messages.txt");
    // The file has no STREAM_STATUS for stream_with_dates (a stream without records): add it, as the platform would.
    Path messages = withCompleteStatuses(original, catalog, workDir());
    assertThat(ConnectorProcess.readLines(messages)).hasSize(ConnectorProcess.readLines(original).size() + 1);

    Result result = write(catalog, messages).assertSucceeded();

    result.assertStatesEchoedFrom(original);
    assertThat(result.recordCounts()).containsExactly(17.0);
    assertThat(db().tables())
        .containsExactlyInAnyOrder(
            "main." + name("groups"),
            "main.capitalcase",
            "main.propercase",
            "main.reserved_keywords",
            "main.stream_name",
            "main.stream_name_next",
            "main.stream_with_all_caps",
            "main.stream_with_binary_data",
            "main.stream_with_dates",
            "main.stream_with_edge_case_field_names",
            "main.stream_with_special_character_names",
            "main.stream_with_underscores",
            "main.streamwithcamelcase");
    assertThat(db().columns("main", "stream_with_edge_case_field_names"))
        .containsOnlyKeys(
            "_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta", "_airbyte_generation_id",
            "fieldwithcamelcase", "field_with_underscore", "field_with_all_caps");
    assertThat(db().columns("main", "stream_with_dates"))
        .containsEntry("some_date", dataType(AirbyteType.DATE))
        .containsEntry("some_datetime", dataType(AirbyteType.TIMESTAMP_WITH_TIMEZONE));

    assertThat(db().query("SELECT data FROM main.streamwithcamelcase")).containsExactly(Map.of("data", "one"));
    assertThat(db().query("SELECT data FROM main.stream_with_underscores")).containsExactly(Map.of("data", "one"));
    assertThat(db().count("main.stream_with_all_caps")).isZero();
    assertThat(db().count("main.stream_with_dates")).isZero();
    assertThat(db().query("SELECT fieldwithcamelcase, field_with_underscore FROM main.stream_with_edge_case_field_names ORDER BY _airbyte_extracted_at"))
        .containsExactly(row("fieldwithcamelcase", "one", "field_with_underscore", null),
            row("fieldwithcamelcase", null, "field_with_underscore", "one"));
    assertThat(db().query("SELECT field_with_special_character FROM main.stream_with_special_character_names"))
        .containsExactly(Map.of("field_with_special_character", "one"));
    assertThat(db().query("SELECT deleted FROM main.capitalcase")).containsExactly(Map.of("deleted", true));
    assertThat(db().query("SELECT " + name("order") + " FROM main.reserved_keywords"))
        .containsExactly(Map.of(name("order"), "ascending"));
    assertThat(db().query("SELECT " + name("authorization") + " FROM main." + name("groups")))
        .containsExactly(Map.of(name("authorization"), "into"));
    assertThat(db().query("SELECT propercase FROM main.propercase")).containsExactly(Map.of("propercase", true));
    assertThat(db().query("SELECT some_id, some_field, some_next_field, _airbyte_extracted_at FROM main.stream_name ORDER BY some_id"))
        .containsExactly(
            row("some_id", 101L, "some_field", "some_field_1", "some_next_field", "some_next_field_1",
                "_airbyte_extracted_at", Instant.ofEpochMilli(1602637589200L)),
            row("some_id", 102L, "some_field", "some_field_2", "some_next_field", null,
                "_airbyte_extracted_at", Instant.ofEpochMilli(1602637589250L)),
            row("some_id", 103L, "some_field", null, "some_next_field", "some_next_field_3",
                "_airbyte_extracted_at", Instant.ofEpochMilli(1602637589300L)),
            row("some_id", 104L, "some_field", null, "some_next_field", null,
                "_airbyte_extracted_at", Instant.ofEpochMilli(1602637589350L)));
    assertThat(db().query("SELECT some_id, next_field_name FROM main.stream_name_next ORDER BY some_id"))
        .containsExactly(
            row("some_id", 201L, "next_field_name", "next_field_name_1"),
            row("some_id", 202L, "next_field_name", "next_field_name_2"),
            row("some_id", 203L, "next_field_name", null));
    assertThat(db().query("SELECT some_id, binary_field_name FROM main.stream_with_binary_data"))
        .containsExactly(row("some_id", 303L, "binary_field_name", "dGVzdA=="));
    assertThat(db().query("SELECT DISTINCT _airbyte_generation_id AS g, _airbyte_meta AS m FROM main.stream_name"))
        .containsExactly(row("g", 1L, "m", readJson("{\"sync_id\":7,\"changes\":[]}")));
  }

  @Test
  void exchangeRateRecordsInterleavedWithGlobalStatesAreAllWrittenAndEveryStateIsEchoed() {
    Path catalog = configuredAppendCatalog(vector(DIR + "exchange_rate_catalog.json"), workDir());
    Path original = vector(DIR + "exchange_rate_messages.txt");
    // The file already ends with STREAM_STATUS COMPLETE for its one stream: nothing is added.
    Path messages = withCompleteStatuses(original, catalog, workDir());
    assertThat(ConnectorProcess.readLines(messages)).isEqualTo(ConnectorProcess.readLines(original));

    Result result = write(catalog, messages).assertSucceeded();

    result.assertStatesEchoedFrom(original);
    assertThat(result.recordCounts()).containsExactly(1.0, 1.0, 3.0);
    assertThat(result.states().get(2).path("state").path("global").path("shared_state").path("start_date").asText())
        .isEqualTo("2020-09-02");
    // The obsolete stream_name key of the catalog is ignored: the table is in the default schema.
    assertThat(db().tables()).containsExactly("main.exchange_rate");
    // id and currency are not in the schema: they are not columns.
    assertThat(db().columns("main", "exchange_rate").keySet())
        .containsExactly(
            "_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta", "_airbyte_generation_id",
            "date", "hkd", "nzd", "usd");
    assertThat(db().query("SELECT date, hkd, nzd, usd FROM main.exchange_rate ORDER BY _airbyte_extracted_at"))
        .containsExactly(
            row("date", "2020-08-29T00:00:00Z", "hkd", decimal("2.13"), "nzd", decimal("0.12"), "usd", null),
            row("date", "2020-08-30T00:00:00Z", "hkd", decimal("7.15"), "nzd", decimal("1.14"), "usd", null),
            row("date", "2020-08-31T00:00:00Z", "hkd", decimal("7.15"), "nzd", decimal("1.14"), "usd", decimal("10.16")),
            row("date", "2020-08-31T00:00:00Z", "hkd", decimal("7.99"), "nzd", decimal("1.14"), "usd", decimal("10.99")),
            row("date", "2020-09-01T00:00:00Z", "hkd", decimal("7.15"), "nzd", decimal("1.14"), "usd", decimal("10.16")));
  }

  @Test
  void basicDataTypesAreStoredTypedAndABigNumberBeyondTheNumberRangeIsNulledWithAFieldSizeChange() {
    Path catalog = configuredAppendCatalog(vector(DIR + "data_type_basic_test_catalog.json"), workDir());
    Path messages = vector(DIR + "data_type_basic_test_messages.txt");

    Result result = write(catalog, messages).assertSucceeded();

    // One LEGACY state (no type) covering all 22 records, echoed unchanged but for its stats.
    result.assertStatesEchoedFrom(messages);
    assertThat(result.recordCounts()).containsExactly(22.0);
    assertThat(result.states().get(0).path("state").has("type")).isFalse();

    assertThat(values("string_test_1")).containsExactly("foo bar", "", "some random special characters: ࠈൡሗ");
    assertThat(values("date_test_1"))
        .containsExactly(LocalDate.of(2021, 1, 23), LocalDate.of(1504, 2, 29), LocalDate.of(9999, 12, 23));
    assertThat(values("datetime_test_1"))
        .containsExactly(
            Instant.parse("2022-11-21T20:23:45Z"), Instant.parse("1504-02-28T20:23:45Z"), Instant.parse("9999-12-20T20:23:45Z"));
    assertThat(values("datetime_test_2"))
        .containsExactly(
            LocalDateTime.parse("2022-11-22T01:23:45"),
            LocalDateTime.parse("1504-02-29T01:23:45"),
            LocalDateTime.parse("9999-12-21T01:23:45"));
    assertThat(values("number_test_1")).containsExactly(decimal("56.78"), decimal("0"), decimal("-12345.678"));
    // The first is a number of 400-odd digits: kept by a number of any size, else nulled as beyond the range.
    JsonNode bigNumber = readJsonLines(messages).stream()
        .filter(m -> "bignumber_test_1".equals(m.path("record").path("stream").asText()))
        .findFirst().orElseThrow().path("record").path("data").path("data");
    boolean keepsIt = target().holdsNumbersOfAnySize();
    assertThat(values("bignumber_test_1"))
        .containsExactly(keepsIt ? decimal(bigNumber.asText()) : null, decimal("0"), decimal("-12345.678"));
    assertThat(values("integer_test_1")).containsExactly(42L, 0L, -12345L);
    assertThat(values("boolean_test_1")).containsExactly(true);

    List<Map<String, Object>> metas = db().query("SELECT _airbyte_meta AS m FROM main.bignumber_test_1 ORDER BY _airbyte_extracted_at");
    assertThat(metas.get(0).get("m"))
        .isEqualTo(readJson(keepsIt ? "{\"sync_id\":7,\"changes\":[]}"
            : "{\"sync_id\":7,\"changes\":[{\"field\":\"data\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"}]}"));
    assertThat(metas.get(1).get("m")).isEqualTo(readJson("{\"sync_id\":7,\"changes\":[]}"));
    assertThat(metas.get(2).get("m")).isEqualTo(readJson("{\"sync_id\":7,\"changes\":[]}"));
  }

  @Test
  void problematicTypesAreStoredAsJsonEqualToTheSourceValues() {
    // The vector asks for a truncate refresh (minimum_generation_id 10), which is not supported yet: append instead.
    JsonNode original = readJson(vector(DIR + "problematic_types_configured_catalog.json"));
    ObjectNode appendCatalog = original.deepCopy();
    appendCatalog.withArray("streams").forEach(stream -> ((ObjectNode) stream).put("minimum_generation_id", 0));
    Path catalog = writeJson(workDir().resolve("problematic_types_append_catalog.json"), appendCatalog);
    Path messages = vector(DIR + "problematic_types_messages_in.txt");

    Result result = write(catalog, messages).assertSucceeded();

    result.assertStatesEchoedFrom(messages);
    assertThat(result.recordCounts()).containsExactly(3.0);
    List<ObjectNode> records = readJsonLines(messages).stream().filter(m -> "RECORD".equals(m.path("type").asText())).toList();
    List<Map<String, Object>> rows = db().query("SELECT * FROM main.problematic_types ORDER BY _airbyte_extracted_at");
    assertThat(rows).hasSize(records.size());
    List<String> declared = new ArrayList<>();
    original.path("streams").get(0).path("stream").path("json_schema").path("properties").fieldNames().forEachRemaining(declared::add);
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      JsonNode data = records.get(i).path("record").path("data");
      assertThat(row.get("_airbyte_generation_id")).isEqualTo(10L);
      assertThat(row.get("_airbyte_meta")).isEqualTo(readJson("{\"sync_id\":999,\"changes\":[]}"));
      assertThat(row.get("_airbyte_extracted_at"))
          .isEqualTo(Instant.ofEpochMilli(records.get(i).path("record").path("emitted_at").asLong()));
      for (String field : declared) {
        JsonNode value = data.get(field);
        Object expected = value == null || value.isNull() ? null : value;
        assertThat(row.get(field)).as("row %d, %s", i, field).isEqualTo(expected);
      }
    }
  }

  /**
   * The name of a stream or field that is a reserved word: each database reserves its own (DuckDB
   * {@code groups}, PostgreSQL not), as its naming rules, unit-tested in its module, say.
   */
  private String name(String reservedWord) {
    return destination().namingPolicy(destination().bindConfig(configJson(MAIN))).rules().sanitize(reservedWord);
  }

  private String dataType(AirbyteType type) {
    return target().dataType(type).toLowerCase(Locale.ROOT);
  }

  private List<Object> values(String table) {
    return db().query("SELECT data FROM main." + table + " ORDER BY _airbyte_extracted_at").stream().map(r -> r.get("data")).toList();
  }
}
