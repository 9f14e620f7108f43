package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayList;
import java.util.List;
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
