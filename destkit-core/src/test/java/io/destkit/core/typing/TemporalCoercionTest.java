package io.destkit.core.typing;

import static io.destkit.core.typing.ChangeReason.DESTINATION_SERIALIZATION_ERROR;
import static io.destkit.core.typing.Values.quoted;
import static io.destkit.core.typing.Values.read;
import static io.destkit.core.typing.Values.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Date, timestamp and time columns. */
class TemporalCoercionTest {
  private static final Map<String, AirbyteType> TEMPORAL_COLUMNS =
      Map.of(
          "timestamp_with_timezone", AirbyteType.TIMESTAMP_WITH_TIMEZONE,
          "timestamp_without_timezone", AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE,
          "time_with_timezone", AirbyteType.TIME_WITH_TIMEZONE,
          "time_without_timezone", AirbyteType.TIME_WITHOUT_TIMEZONE,
          "date", AirbyteType.DATE);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2023-01-23, 2023-01-23",
    "1504-02-29, 1504-02-29",
    "2000-02-29, 2000-02-29",
    "9999-12-23, 9999-12-23",
    "9999-12-31, 9999-12-31",
    "0001-01-01, 0001-01-01",
    "2023-01-23T12:34:56Z, 2023-01-23",
    "2023-01-23T23:30:00-08:00, 2023-01-23",
    "2023-01-23 01:02:03, 2023-01-23"
  })
  void dateColumnsReadIsoDatesAndTheDateOfATimestamp(String text, String expected)
      throws Exception {
    assertThat(read(AirbyteType.DATE, quoted(text))).isEqualTo(LocalDate.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "airbyte",
        "",
        "2023-1-23",
        "23-01-2023",
        "2023/01/23",
        "2023-13-01",
        "2023-00-10",
        "2023-02-29",
        "1900-02-29",
        "2023-04-31",
        "2023-01-32",
        "0000-01-01",
        "+12023-01-01",
        "-2023-01-01",
        "2023-01-23 BC",
        " 2023-01-23",
        "2023-01-23 ",
        "2023-01-23T",
        "2023-01-23T25:00:00Z"
      })
  void dateColumnsRefuseOtherText(String text) throws Exception {
    assertThat(refusal(AirbyteType.DATE, quoted(text))).isEqualTo(DESTINATION_SERIALIZATION_ERROR);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2023-01-23T12:34:56Z, 2023-01-23T12:34:56Z",
    "2023-01-23T12:34:56z, 2023-01-23T12:34:56Z",
    "2023-01-23t12:34:56Z, 2023-01-23T12:34:56Z",
    "2023-01-23 12:34:56Z, 2023-01-23T12:34:56Z",
    "2023-01-23T12:34:56, 2023-01-23T12:34:56Z",
    "2023-01-23T12:34, 2023-01-23T12:34:00Z",
    "2023-01-23T12:34:56.1Z, 2023-01-23T12:34:56.100Z",
    "2023-01-23T12:34:56.123456Z, 2023-01-23T12:34:56.123456Z",
    "2023-01-23T12:34:56.123456789Z, 2023-01-23T12:34:56.123456789Z",
    "2023-01-23T12:34:56.1234567891Z, 2023-01-23T12:34:56.123456789Z",
    "'2023-01-23T12:34:56,5Z', 2023-01-23T12:34:56.5Z",
    "2023-01-23T12:34:56-08:00, 2023-01-23T20:34:56Z",
    "2023-01-23T12:34:56-0800, 2023-01-23T20:34:56Z",
    "2023-01-23T12:34:56-08, 2023-01-23T20:34:56Z",
    "2023-01-23T12:34:56-8:00, 2023-01-23T20:34:56Z",
    "2023-01-23T12:34:56+05:30, 2023-01-23T07:04:56Z",
    "2023-01-23T12:34:56+05:30:15, 2023-01-23T07:04:41Z",
    "2023-01-23T12:34:56 +01:00, 2023-01-23T11:34:56Z",
    "2023-01-23T12:34:56.5-00:00, 2023-01-23T12:34:56.5Z",
    "2024-02-29T23:00:00-02:00, 2024-03-01T01:00:00Z",
    "2023-12-31T23:59:59.999-14:00, 2024-01-01T13:59:59.999Z",
    "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z, 9999-12-31T23:59:59.999999Z",
    "1969-12-31T23:59:59.5+01:00, 1969-12-31T22:59:59.5Z"
  })
  void timestampWithTimezoneColumnsNormaliseToUtc(String text, String expected) throws Exception {
    Object value = read(AirbyteType.TIMESTAMP_WITH_TIMEZONE, quoted(text));
    assertThat(value).isEqualTo(OffsetDateTime.parse(expected));
    assertThat(((OffsetDateTime) value).getOffset()).isEqualTo(ZoneOffset.UTC);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2023-01-23T12:34:56, 2023-01-23T12:34:56",
    "2023-01-23 12:34:56.123, 2023-01-23T12:34:56.123",
    "2023-01-23T12:34, 2023-01-23T12:34:00",
    "1504-02-29T00:00:00.000001, 1504-02-29T00:00:00.000001",
    "2023-01-23T12:34:56Z, 2023-01-23T12:34:56",
    "2023-01-23T12:34:56-08:00, 2023-01-23T12:34:56",
    "2023-01-23T12:34:56.5+0530, 2023-01-23T12:34:56.5"
  })
  void timestampWithoutTimezoneColumnsKeepTheLocalDateTimeAsWrittenAndDropAnOffset(
      String text, String expected) throws Exception {
    assertThat(read(AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, quoted(text)))
        .isEqualTo(LocalDateTime.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2023-01-23",
        "foo",
        "",
        "12:34:56",
        "2023-01-23X12:34:56",
        "2023-01-23T1:34:56",
        "2023-01-23T12:34:5",
        "2023-01-23T12:34:56.",
        "2023-01-23T12:34:56.Z",
        "2023-01-23T24:00:00",
        "2023-01-23T12:60:00",
        "2023-01-23T12:34:60",
        "2023-02-30T12:34:56",
        "2023-01-23T12:34:56+19:00",
        "2023-01-23T12:34:56+123",
        "2023-01-23T12:34:56+12:3",
        "2023-01-23T12:34:56+12:60",
        "2023-01-23T12:34:56+",
        "2023-01-23T12:34:56ZZ",
        "2023-01-23T12:34:56 ",
        "2023-01-23T12:34:56  Z",
        "2023-01-23T12:34:56 UTC",
        "2023-01-23T12:34:56[Europe/Paris]",
        "2023-01-23T12:34:56.123456-08:00 BC",
        "1674477296"
      })
  void timestampColumnsRefuseOtherText(String text) throws Exception {
    assertThat(refusal(AirbyteType.TIMESTAMP_WITH_TIMEZONE, quoted(text)))
        .isEqualTo(DESTINATION_SERIALIZATION_ERROR);
    assertThat(refusal(AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, quoted(text)))
        .isEqualTo(DESTINATION_SERIALIZATION_ERROR);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "12:34:56Z, 12:34:56Z",
    "12:34:56, 12:34:56Z",
    "12:34, 12:34Z",
    "12:34:56.123Z, 12:34:56.123Z",
    "00:00:00.000000001+00:00, 00:00:00.000000001Z",
    "12:34:56-08:00, 12:34:56-08:00",
    "12:34:56-0800, 12:34:56-08:00",
    "12:34:56-08, 12:34:56-08:00",
    "12:34:56+08:00, 12:34:56+08:00",
    "12:34:56+0800, 12:34:56+08:00",
    "12:34:56+08, 12:34:56+08:00",
    "23:59:59.999999+05:45, 23:59:59.999999+05:45"
  })
  void timeWithTimezoneColumnsKeepTheOffsetGiven(String text, String expected) throws Exception {
    assertThat(read(AirbyteType.TIME_WITH_TIMEZONE, quoted(text)))
        .isEqualTo(OffsetTime.parse(expected));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "12:34:56, 12:34:56",
    "12:34:56.123, 12:34:56.123",
    "00:00, 00:00",
    "23:59:59.999999999, 23:59:59.999999999",
    "12:34:56Z, 12:34:56",
    "12:34:56-08:00, 12:34:56"
  })
  void timeWithoutTimezoneColumnsReadTheLocalTimeAndDropAnOffset(String text, String expected)
      throws Exception {
    assertThat(read(AirbyteType.TIME_WITHOUT_TIMEZONE, quoted(text)))
        .isEqualTo(LocalTime.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"foo", "", "1:23:45", "24:00:00", "12:34:61", "12-34-56", "12:34:56+25", "2023-01-23T12:34:56Z"})
  void timeColumnsRefuseOtherText(String text) throws Exception {
    assertThat(refusal(AirbyteType.TIME_WITH_TIMEZONE, quoted(text)))
        .isEqualTo(DESTINATION_SERIALIZATION_ERROR);
    assertThat(refusal(AirbyteType.TIME_WITHOUT_TIMEZONE, quoted(text)))
        .isEqualTo(DESTINATION_SERIALIZATION_ERROR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[]", "{\"date\": \"2023-01-23\"}", "[\"12:34:56\"]", "42", "1.5", "true"})
  void temporalColumnsRefuseValuesThatAreNotStrings(String json) throws Exception {
    for (AirbyteType type : TEMPORAL_COLUMNS.values()) {
      assertThat(refusal(type, json)).as("%s", type).isEqualTo(DESTINATION_SERIALIZATION_ERROR);
    }
  }

  /** Every input of Airbyte's timestamp-formats fixture gives its expected normalised value. */
  @Test
  void airbyteTimestampFormatsNormaliseAsExpected() throws Exception {
    String dir = "airbyte/typing_deduping/sqlgenerator/";
    List<JsonNode> inputs = Vectors.jsonl(dir + "timestampformats_inputrecords.jsonl");
    List<JsonNode> expected = Vectors.jsonl(dir + "timestampformats_expectedrecords_final.jsonl");
    assertThat(inputs).hasSize(10);
    int checked = 0;
    for (JsonNode input : inputs) {
      String id = input.get("_airbyte_raw_id").asText();
      JsonNode want = Vectors.find(expected, "_airbyte_raw_id", id);
      for (Map.Entry<String, JsonNode> field : input.get("_airbyte_data").properties()) {
        AirbyteType type = TEMPORAL_COLUMNS.get(field.getKey());
        Object value = read(type, field.getValue().toString());
        assertThat(value).as("%s of %s", field.getKey(), id).isEqualTo(expectedValue(type, want.get(field.getKey())));
        checked++;
      }
    }
    assertThat(checked).isEqualTo(21);
  }

  /** The Java value an expected-records cell stands for. */
  static Object expectedValue(AirbyteType type, JsonNode cell) {
    String text = cell.asText();
    if (type instanceof TimestampWithTimezoneType) {
      return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    } else if (type instanceof TimestampWithoutTimezoneType) {
      return LocalDateTime.parse(text);
    } else if (type instanceof TimeWithTimezoneType) {
      return OffsetTime.parse(text);
    } else if (type instanceof TimeWithoutTimezoneType) {
      return LocalTime.parse(text);
    } else if (type instanceof DateType) {
      return LocalDate.parse(text);
    }
    throw new IllegalArgumentException(type.toString());
  }

  /** The changes recorded while reading {@code {"v": <valueJson>}} with these limits, as "CHANGE REASON". */
  private static List<String> changesOf(AirbyteType type, ValueLimits limits, String valueJson) throws Exception {
    List<String> changes = new java.util.ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser parser = Values.JSON.createParser("{\"v\": " + valueJson + "}")) {
      parser.nextToken();
      parser.nextToken();
      parser.nextToken();
      Coercers.forType(type, limits).read(parser, (change, reason) -> changes.add(change + " " + reason));
    }
    return changes;
  }

  @Test
  void aFractionBeyondNanosecondsIsCutAndTheCutRecordedOnce() throws Exception {
    assertThat(read(AirbyteType.TIMESTAMP_WITH_TIMEZONE, quoted("2024-01-01T00:00:00.0000000001Z")))
        .isEqualTo(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    assertThat(changesOf(AirbyteType.TIMESTAMP_WITH_TIMEZONE, ValueLimits.NONE, quoted("2024-01-01T00:00:00.0000000001Z")))
        .containsExactly("TRUNCATED DESTINATION_FIELD_SIZE_LIMITATION");
    assertThat(changesOf(AirbyteType.TIME_WITHOUT_TIMEZONE, ValueLimits.NONE, quoted("12:00:00.1234567891")))
        .containsExactly("TRUNCATED DESTINATION_FIELD_SIZE_LIMITATION");
    assertThat(changesOf(AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, ValueLimits.NONE, quoted("2024-01-01T00:00:00.123456789000")))
        .isEmpty();
    ValueLimits microseconds = new ValueLimits() {
      @Override
      public void check(AirbyteType type, Object value) {}

      @Override
      public Object apply(AirbyteType type, Object value, ChangeSink changes) {
        changes.record(ValueChange.TRUNCATED, ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);
        return ((LocalTime) value).withNano(123_456_000);
      }
    };
    assertThat(changesOf(AirbyteType.TIME_WITHOUT_TIMEZONE, microseconds, quoted("12:00:00.1234567891")))
        .containsExactly("TRUNCATED DESTINATION_FIELD_SIZE_LIMITATION");
  }
}
