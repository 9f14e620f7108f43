package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.EveryAirbyteType;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Airbyte type is stored in its Iceberg type and read back (with Iceberg's own reader) as
 * sent; a value of the wrong type, or out of range, is nulled and recorded in {@code _airbyte_meta}.
 */
class IcebergTypesTest {
  private static final StreamDescriptor TYPES = new StreamDescriptor("typed", "every_type");

  @TempDir Path tempDir;

  private Table sync(IcebergFixture fixture, JsonNode schema, JsonNode... records) {
    SyncInput input = new SyncInput();
    for (JsonNode record : records) {
      input.record(TYPES, 1_700_000_000_000L, record);
    }
    input.complete(TYPES);
    ObjectNode catalog = TestCatalogs.catalog(TestCatalogs.stream(TYPES.namespace(), TYPES.name(), schema));
    ConnectorRun run = ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog, input.text(), tempDir);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    return fixture.table(TYPES.namespace(), TYPES.name());
  }

  @Test
  void everyAirbyteTypeHasItsIcebergType() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    Table table = sync(fixture, EveryAirbyteType.schema(), EveryAirbyteType.record());

    Map<String, String> types = new LinkedHashMap<>();
    for (Types.NestedField field : table.schema().columns()) {
      types.put(field.name(), field.type().toString());
    }
    assertThat(types).containsAllEntriesOf(Map.ofEntries(
        Map.entry("string", "string"),
        Map.entry("boolean", "boolean"),
        Map.entry("integer", "long"),
        Map.entry("number", "decimal(38, 9)"),
        Map.entry("date", "date"),
        Map.entry("timestamp_with_timezone", "timestamptz"),
        Map.entry("timestamp_without_timezone", "timestamp"),
        Map.entry("time_with_timezone", "string"),
        Map.entry("time_without_timezone", "time"),
        Map.entry("object", "string"),
        Map.entry("object_with_empty_schema", "string"),
        Map.entry("object_without_schema", "string"),
        Map.entry("array", "string"),
        Map.entry("array_without_schema", "string"),
        Map.entry("union", "string"),
        Map.entry("unknown", "string")));
  }

  @Test
  void everyAirbyteTypeReadsBackAsSent() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, EveryAirbyteType.schema(), EveryAirbyteType.record());

    Map<String, Object> row = fixture.rows(TYPES.namespace(), TYPES.name()).get(0);
    assertThat(row.get("string")).isEqualTo("text with ünïcode and \"quotes\"");
    assertThat(row.get("boolean")).isEqualTo(true);
    assertThat(row.get("integer")).isEqualTo(Long.MAX_VALUE);
    assertThat(row.get("number")).isEqualTo(new BigDecimal("12345.678900000"));
    assertThat(row.get("date")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(row.get("timestamp_with_timezone"))
        .isEqualTo(OffsetDateTime.of(2024, 2, 29, 10, 34, 56, 789_000_000, ZoneOffset.UTC));
    assertThat(row.get("timestamp_without_timezone")).isEqualTo(LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000));
    assertThat(row.get("time_with_timezone")).isEqualTo("12:34:56.000000+02:00");
    assertThat(row.get("time_without_timezone")).isEqualTo(LocalTime.of(12, 34, 56));
    assertThat(json(row.get("object"))).isEqualTo(json("{\"name\":\"nested\"}"));
    assertThat(json(row.get("object_with_empty_schema"))).isEqualTo(json("{\"any\":1}"));
    assertThat(json(row.get("object_without_schema"))).isEqualTo(json("{\"a\":[1,2]}"));
    assertThat(json(row.get("array"))).isEqualTo(json("[1,2,3]"));
    assertThat(json(row.get("array_without_schema"))).isEqualTo(json("[\"a\",1,null]"));
    assertThat(json(row.get("union"))).as("a union holds its JSON").isEqualTo(json("\"either\""));
    assertThat(json(row.get("unknown"))).isEqualTo(json("{\"anything\":true}"));
    assertThat(changes(row)).isEmpty();
  }

  @Test
  void nullsAndExtremesReadBackAsSent() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ObjectNode nulls = MessageCodec.MAPPER.createObjectNode();
    EveryAirbyteType.schema().path("properties").fieldNames().forEachRemaining(nulls::putNull);
    ObjectNode extremes = MessageCodec.MAPPER.createObjectNode()
        .put("integer", Long.MIN_VALUE)
        .put("number", new BigDecimal("-99999999999999999999999999999.999999999"))
        .put("string", "")
        .put("timestamp_with_timezone", "0001-01-01T00:00:00Z")
        .put("date", "9999-12-31");
    sync(fixture, EveryAirbyteType.schema(), nulls, extremes);

    List<Map<String, Object>> rows = fixture.rows(TYPES.namespace(), TYPES.name());
    Map<String, Object> nullRow = rows.stream().filter(row -> row.get("string") == null).findFirst().orElseThrow();
    EveryAirbyteType.schema().path("properties").fieldNames()
        .forEachRemaining(field -> assertThat(nullRow.get(field)).as(field).isNull());
    Map<String, Object> extreme = rows.stream().filter(row -> "".equals(row.get("string"))).findFirst().orElseThrow();
    assertThat(extreme.get("integer")).isEqualTo(Long.MIN_VALUE);
    assertThat(extreme.get("number")).isEqualTo(new BigDecimal("-99999999999999999999999999999.999999999"));
    assertThat(extreme.get("timestamp_with_timezone")).isEqualTo(OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    assertThat(extreme.get("date")).isEqualTo(LocalDate.of(9999, 12, 31));
    assertThat(changes(nullRow)).isEmpty();
    assertThat(changes(extreme)).isEmpty();
  }

  @Test
  void aValueOfTheWrongTypeIsNulledAndRecordedInTheMeta() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ObjectNode wrong = MessageCodec.MAPPER.createObjectNode()
        .put("string", "kept")
        .put("integer", "not a number")
        .put("boolean", "maybe")
        .put("date", "2024-02-30")
        .put("timestamp_with_timezone", "yesterday");
    sync(fixture, EveryAirbyteType.schema(), wrong);

    Map<String, Object> row = fixture.rows(TYPES.namespace(), TYPES.name()).get(0);
    assertThat(row.get("string")).isEqualTo("kept");
    assertThat(row.get("integer")).isNull();
    assertThat(row.get("boolean")).isNull();
    assertThat(row.get("date")).isNull();
    assertThat(row.get("timestamp_with_timezone")).isNull();
    assertThat(changes(row)).containsExactlyInAnyOrder(
        "integer NULLED DESTINATION_SERIALIZATION_ERROR",
        "boolean NULLED DESTINATION_SERIALIZATION_ERROR",
        "date NULLED DESTINATION_SERIALIZATION_ERROR",
        "timestamp_with_timezone NULLED DESTINATION_SERIALIZATION_ERROR");
  }

  @Test
  void aNumberBeyondDecimal38Scale9IsNulledAndOneWithMoreDecimalsRounded() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ObjectNode big = MessageCodec.MAPPER.createObjectNode().put("string", "big")
        .put("number", new BigDecimal("123456789012345678901234567890"));
    ObjectNode fine = MessageCodec.MAPPER.createObjectNode().put("string", "fine")
        .put("number", new BigDecimal("1.0000000005"))
        .put("timestamp_without_timezone", "2024-01-01T00:00:00.123456789");
    sync(fixture, EveryAirbyteType.schema(), big, fine);

    List<Map<String, Object>> rows = fixture.rows(TYPES.namespace(), TYPES.name());
    Map<String, Object> bigRow = rows.stream().filter(row -> "big".equals(row.get("string"))).findFirst().orElseThrow();
    Map<String, Object> fineRow = rows.stream().filter(row -> "fine".equals(row.get("string"))).findFirst().orElseThrow();
    assertThat(bigRow.get("number")).isNull();
    assertThat(changes(bigRow)).containsExactly("number NULLED DESTINATION_FIELD_SIZE_LIMITATION");
    assertThat(fineRow.get("number")).isEqualTo(new BigDecimal("1.000000001"));
    assertThat(fineRow.get("timestamp_without_timezone")).isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_000));
    assertThat(changes(fineRow)).containsExactlyInAnyOrder(
        "number TRUNCATED DESTINATION_FIELD_SIZE_LIMITATION",
        "timestamp_without_timezone TRUNCATED DESTINATION_FIELD_SIZE_LIMITATION");
  }

  @Test
  void aStreamWithoutPropertiesKeepsEachRecordAsJsonInAirbyteData() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, MessageCodec.MAPPER.readTree("{\"type\":\"object\"}"), MessageCodec.MAPPER.readTree("{\"a\":1,\"b\":[true]}"));

    Map<String, Object> row = fixture.rows(TYPES.namespace(), TYPES.name()).get(0);
    assertThat(json(row.get("_airbyte_data"))).isEqualTo(json("{\"a\":1,\"b\":[true]}"));
  }

  private static JsonNode json(Object text) {
    try {
      return MessageCodec.MAPPER.readTree((String) text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The row's {@code _airbyte_meta.changes}, each as "field change reason". */
  static List<String> changes(Map<String, Object> row) {
    Record meta = (Record) row.get("_airbyte_meta");
    List<?> changes = (List<?>) meta.getField("changes");
    return changes.stream()
        .map(change -> (Record) change)
        .map(change -> change.getField("field") + " " + change.getField("change") + " " + change.getField("reason"))
        .toList();
  }
}
