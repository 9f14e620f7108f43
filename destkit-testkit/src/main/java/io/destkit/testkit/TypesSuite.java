package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.StreamDescriptor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Values of every Airbyte type through a full sync and back: basic, numeric, temporal, container,
 * union and unknown types, with extremes, NULLs, and values that do not fit their type (NULLed and
 * recorded in {@code _airbyte_meta.changes}).
 */
public abstract class TypesSuite<C> extends BasicFunctionalitySuite<C> {

  /** Expected rows: each record's data plus its extraction time, generation 0 and these changes. */
  private static ObjectNode expectedRow(JsonNode data, long emittedAt, String changes) {
    ObjectNode row = data.deepCopy();
    row.put("_airbyte_extracted_at", emittedAt).put("_airbyte_generation_id", 0);
    row.set("_airbyte_meta", json("{\"changes\":" + changes + "}"));
    return row;
  }

  private void syncRecords(ObjectNode stream, List<? extends JsonNode> records) {
    StreamDescriptor descriptor = descriptor(stream);
    SyncInput input = new SyncInput();
    for (int i = 0; i < records.size(); i++) {
      input.record(descriptor, 1000L + i, records.get(i));
    }
    sync(catalog(stream), input.complete(descriptor));
  }

  private void assertRoundTrip(JsonNode schema, List<ObjectNode> records) throws Exception {
    ObjectNode stream = stream(null, "typed", schema);
    syncRecords(stream, records);
    List<ObjectNode> expected = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      expected.add(expectedRow(records.get(i), 1000L + i, "[]"));
    }
    assertFinalRows(catalog(stream), expected);
  }

  @Test
  void aValueOfEveryAirbyteTypeRoundTripsAndAnEmptyRecordGivesNulls() throws Exception {
    assertRoundTrip(EveryAirbyteType.schema(), List.of((ObjectNode) EveryAirbyteType.record(), json("{}")));
  }

  @Test
  void theSqlGeneratorsAllTypesRecordsGiveItsExpectedRows() throws Exception {
    // alltypes_expectedrecords_raw holds the newest input (row 3 carries a source change).
    ObjectNode stream = generations(sqlGeneratorStream(null, "all_types"), 42, 0);
    sync(catalog(stream), completeSync(stream, Fixtures.recordsOfRawRows(
        Fixtures.jsonLines(SQLGENERATOR + "alltypes_expectedrecords_raw.jsonl"))));

    List<ObjectNode> expected = Fixtures.edited(
        Fixtures.jsonLines(SQLGENERATOR + "alltypes_expectedrecords_final.jsonl"),
        row -> {
          // Deliberate difference: a JSON null is SQL NULL in every column, `unknown` included,
          // so that one null means one thing in the table.
          if (row.has("unknown") && row.get("unknown").isNull()) {
            row.remove("unknown");
          }
          // Deliberate difference: a value that does not fit its type is reported as
          // DESTINATION_SERIALIZATION_ERROR (design §4), not DESTINATION_TYPECAST_ERROR.
          row.findParents("reason").forEach(change -> ((ObjectNode) change).put("reason",
              change.path("reason").asText().replace("DESTINATION_TYPECAST_ERROR", "DESTINATION_SERIALIZATION_ERROR")));
        });
    assertFinalRows(catalog(stream), expected);
  }

  @Test
  void timestampsWithOffsetsAreInstantsAndTimesKeepTheirOffset() throws Exception {
    ObjectNode stream = sqlGeneratorStream(null, "timestamp_formats");
    sync(catalog(stream), completeSync(stream, Fixtures.recordsOfRawRows(
        Fixtures.jsonLines(SQLGENERATOR + "timestampformats_inputrecords.jsonl"))));

    assertFinalRows(catalog(stream),
        Fixtures.withGeneration(Fixtures.jsonLines(SQLGENERATOR + "timestampformats_expectedrecords_final.jsonl"), 0));
  }

  @Test
  void numbersRoundTripExactlyFromTheirExtremesAndIntegersBeyond64BitsAreNulled() throws Exception {
    ObjectNode stream = stream(null, "numbers", json("{\"type\":\"object\",\"properties\":{"
        + "\"integer\":{\"type\":\"integer\"},\"number\":{\"type\":\"number\"}}}"));
    List<ObjectNode> records = List.of(
        json("{\"integer\":9223372036854775807,\"number\":12345678901234567890.123456789}"),
        json("{\"integer\":-9223372036854775808,\"number\":-0.000000001}"),
        json("{\"integer\":0,\"number\":0}"),
        json("{\"integer\":\"42\",\"number\":\"1E+3\"}"),
        json("{\"integer\":9223372036854775808,\"number\":67.174118}"));
    syncRecords(stream, records);

    assertFinalRows(catalog(stream), List.of(
        expectedRow(records.get(0), 1000, "[]"),
        expectedRow(records.get(1), 1001, "[]"),
        expectedRow(records.get(2), 1002, "[]"),
        expectedRow(json("{\"integer\":42,\"number\":1000}"), 1003, "[]"),
        expectedRow(json("{\"number\":67.174118}"), 1004,
            "[{\"field\":\"integer\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"}]")));
  }

  private static final String TRUNCATED =
      "{\"field\":\"%s\",\"change\":\"TRUNCATED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"}";
  private static final String NULLED =
      "{\"field\":\"%s\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"}";

  @Test
  void aNumberAtTheLimitOfItsColumnIsKeptAndBeyondItTheChangeIsRecorded() throws Exception {
    ObjectNode stream = stream(null, "limits", json("{\"type\":\"object\",\"properties\":{"
        + "\"number\":{\"type\":\"number\"}}}"));
    // For DECIMAL(38, 9): 29 integer digits and 9 decimals.
    Optional<TestTarget.FixedDecimal> fixed = target().fixedNumberType();
    int integerDigits = fixed.map(type -> type.precision() - type.scale()).orElse(29);
    int scale = fixed.map(TestTarget.FixedDecimal::scale).orElse(9);
    String atTheLimit = "9".repeat(integerDigits) + "." + "9".repeat(scale);
    String smallest = "-0." + "0".repeat(scale - 1) + "1";
    String trailingZeros = "2." + "0".repeat(scale + 3);
    String finer = "1.123456789123" + "4".repeat(Math.max(0, scale - 9));
    String halfway = "1." + "0".repeat(scale) + "5";
    String roundsBeyondTheLimit = atTheLimit + "9";
    String tooLarge = "1" + "0".repeat(integerDigits);
    List<String> inputs = List.of(atTheLimit, smallest, trailingZeros, finer, halfway, roundsBeyondTheLimit, tooLarge);
    List<ObjectNode> records = new ArrayList<>();
    inputs.forEach(number -> records.add(json("{\"number\":" + number + "}")));
    syncRecords(stream, records);

    List<ObjectNode> expected = new ArrayList<>();
    expected.add(expectedRow(records.get(0), 1000, "[]"));
    expected.add(expectedRow(records.get(1), 1001, "[]"));
    expected.add(expectedRow(records.get(2), 1002, "[]"));
    if (fixed.isEmpty()) {
      for (int i = 3; i < records.size(); i++) {
        expected.add(expectedRow(records.get(i), 1000 + i, "[]"));
      }
    } else {
      // Rounded half away from zero to the scale, as SQL casts round.
      String rounded = new BigDecimal(finer).setScale(scale, RoundingMode.HALF_UP).toPlainString();
      expected.add(expectedRow(json("{\"number\":" + rounded + "}"), 1003, "[" + TRUNCATED.formatted("number") + "]"));
      expected.add(expectedRow(json("{\"number\":1." + "0".repeat(scale - 1) + "1}"), 1004,
          "[" + TRUNCATED.formatted("number") + "]"));
      expected.add(expectedRow(json("{}"), 1005, "[" + NULLED.formatted("number") + "]"));
      expected.add(expectedRow(json("{}"), 1006, "[" + NULLED.formatted("number") + "]"));
    }
    assertFinalRows(catalog(stream), expected);
  }

  @Test
  void timestampsAndTimesKeepMicrosecondsAndACutOfFinerDigitsIsRecorded() throws Exception {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{"
        + "\"at\":{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_with_timezone\"},"
        + "\"local\":{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_without_timezone\"},"
        + "\"clock\":{\"type\":\"string\",\"format\":\"time\",\"airbyte_type\":\"time_without_timezone\"},"
        + "\"zoned_clock\":{\"type\":\"string\",\"format\":\"time\",\"airbyte_type\":\"time_with_timezone\"}}}");
    ObjectNode stream = stream(null, "precise", schema);
    List<ObjectNode> records = List.of(
        json("{\"at\":\"2024-02-29T23:59:59.123456Z\",\"local\":\"2024-02-29T23:59:59.999999\","
            + "\"clock\":\"23:59:59.000001\",\"zoned_clock\":\"12:00:00.654321+02:00\"}"),
        json("{\"at\":\"2024-02-29T23:59:59.1234567Z\",\"local\":\"2024-02-29T23:59:59.999999999\","
            + "\"clock\":\"00:00:00.0000001\",\"zoned_clock\":\"12:00:00.654321999+02:00\"}"),
        json("{\"at\":\"2024-02-29T23:59:59.1234560001Z\",\"clock\":\"00:00:00.0000000\"}"));
    syncRecords(stream, records);

    assertFinalRows(catalog(stream), List.of(
        expectedRow(records.get(0), 1000, "[]"),
        expectedRow(json("{\"at\":\"2024-02-29T23:59:59.123456Z\",\"local\":\"2024-02-29T23:59:59.999999\","
            + "\"clock\":\"00:00:00\",\"zoned_clock\":\"12:00:00.654321+02:00\"}"), 1001,
            "[" + TRUNCATED.formatted("at") + "," + TRUNCATED.formatted("local") + ","
                + TRUNCATED.formatted("clock") + "," + TRUNCATED.formatted("zoned_clock") + "]"),
        // Digits beyond nanoseconds: one change for the field. Protobuf carries nanoseconds, so
        // there the source's encoding drops those digits and the value arrives whole.
        expectedRow(json("{\"at\":\"2024-02-29T23:59:59.123456Z\",\"clock\":\"00:00:00\"}"), 1002,
            carriesText() ? "[" + TRUNCATED.formatted("at") + "]" : "[]")));
  }

  @Test
  void aTimeZoneOffsetOf16HoursOrMoreIsNulledAndRecorded() throws Exception {
    assumeBehavior(TestTarget.Behavior.TIME_ZONE_OFFSETS_UNDER_16_HOURS);
    ObjectNode stream = offsetsStream();
    List<ObjectNode> records = offsets();
    syncRecords(stream, records);

    assertFinalRows(catalog(stream), List.of(
        expectedRow(records.get(0), 1000, "[]"),
        expectedRow(records.get(1), 1001, "[]"),
        expectedRow(json("{}"), 1002, "[" + NULLED.formatted("zoned_clock") + "]"),
        expectedRow(json("{}"), 1003, "[" + NULLED.formatted("zoned_clock") + "]")));
  }

  @Test
  void aTimeZoneOffsetOf16HoursOrMoreIsKeptWhereATimeWithTimeZoneHoldsAnyOffset() throws Exception {
    if (target().lacks(TestTarget.Behavior.TIME_ZONE_OFFSETS_UNDER_16_HOURS).isEmpty()) {
      org.junit.jupiter.api.Assumptions.abort("The destination nulls offsets of 16 hours or more (the case above).");
    }
    ObjectNode stream = offsetsStream();
    List<ObjectNode> records = offsets();
    syncRecords(stream, records);

    assertFinalRows(catalog(stream), List.of(
        expectedRow(records.get(0), 1000, "[]"), expectedRow(records.get(1), 1001, "[]"),
        expectedRow(records.get(2), 1002, "[]"), expectedRow(records.get(3), 1003, "[]")));
  }

  private static ObjectNode offsetsStream() {
    return stream(null, "offsets", json("{\"type\":\"object\",\"properties\":{"
        + "\"zoned_clock\":{\"type\":\"string\",\"format\":\"time\",\"airbyte_type\":\"time_with_timezone\"}}}"));
  }

  private static List<ObjectNode> offsets() {
    return List.of(
        json("{\"zoned_clock\":\"12:00:00+15:59\"}"), json("{\"zoned_clock\":\"12:00:00-15:59\"}"),
        json("{\"zoned_clock\":\"12:00:00+16:00\"}"), json("{\"zoned_clock\":\"12:00:00-17:30\"}"));
  }

  @Test
  void stringsKeepEveryCharacter() throws Exception {
    StringBuilder longText = new StringBuilder();
    while (longText.length() < 20_000) {
      longText.append("long text ü 日本 ");
    }
    List<ObjectNode> records = new ArrayList<>();
    for (String value : List.of("", " ", "ünïcödé 日本語 😀", "quotes \" ' ` and \\ backslash",
        "control \b\f\n\r\t chars", "null", "NULL", longText.toString())) {
      records.add(json("{}").put("text", value));
    }
    assertRoundTrip(json("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}"), records);
  }

  @Test
  void unionsAndUnknownValuesAreKeptAsJson() throws Exception {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{"
        + "\"union\":{\"type\":[\"string\",\"integer\"]},"
        + "\"one_of\":{\"oneOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}},{\"type\":\"number\"}]},"
        + "\"unknown\":{},"
        + "\"array\":{\"type\":\"array\",\"items\":{\"type\":[\"string\",\"null\"]}},"
        + "\"object\":{\"type\":\"object\"}}}");
    assertRoundTrip(schema, List.of(
        json("{\"union\":\"text\",\"one_of\":{\"a\":1},\"unknown\":[1,{\"b\":[true,null]}],"
            + "\"array\":[\"x\",null],\"object\":{\"nested\":{\"deep\":[1.5,\"ü\"]}}}"),
        json("{\"union\":42,\"one_of\":2.5,\"unknown\":\"just text\",\"array\":[],\"object\":{}}"),
        json("{\"unknown\":false}")));
  }

  @Test
  void booleansAndTemporalValuesRoundTrip() throws Exception {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{"
        + "\"flag\":{\"type\":\"boolean\"},"
        + "\"day\":{\"type\":\"string\",\"format\":\"date\"},"
        + "\"at\":{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_with_timezone\"},"
        + "\"local\":{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_without_timezone\"},"
        + "\"clock\":{\"type\":\"string\",\"format\":\"time\",\"airbyte_type\":\"time_without_timezone\"}}}");
    assertRoundTrip(schema, List.of(
        json("{\"flag\":true,\"day\":\"2024-02-29\",\"at\":\"2024-02-29T23:59:59.999999Z\","
            + "\"local\":\"2024-02-29T23:59:59.999999\",\"clock\":\"23:59:59.999999\"}"),
        json("{\"flag\":false,\"day\":\"1970-01-01\",\"at\":\"1969-12-31T23:00:00-01:00\","
            + "\"local\":\"1900-01-01T00:00:00\",\"clock\":\"00:00:00\"}")));
  }
}
