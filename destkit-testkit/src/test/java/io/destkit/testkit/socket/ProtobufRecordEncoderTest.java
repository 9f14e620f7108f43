package io.destkit.testkit.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedInputStream;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.socket.SocketClient.DecodedValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtobufRecordEncoderTest {

  private static JsonNode json(String text) {
    try {
      return SocketScript.JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static byte[] value(String schema, String value) {
    return ValueEncoder.encode(ColumnType.of(json(schema)), json(value));
  }

  private static DecodedValue decoded(String schema, String value) throws IOException {
    return SocketClient.value(CodedInputStream.newInstance(value(schema, value)));
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static final String TIMESTAMP_TZ =
      "{\"type\": \"string\", \"format\": \"date-time\", \"airbyte_type\": \"timestamp_with_timezone\"}";
  private static final String TIMESTAMP =
      "{\"type\": \"string\", \"format\": \"date-time\", \"airbyte_type\": \"timestamp_without_timezone\"}";

  @Test
  void aTimestampWithZoneIsEpochSecondNanoAndOffset() {
    // 1970-01-01T00:00:01.5-00:30 is 1801 s after the epoch: sint64 1801 = 92 1C, nano 5e8 = 80 CA B5 EE 01,
    // sint32 -1800 = 8F 1C; field 10, 12 bytes long.
    assertThat(value(TIMESTAMP_TZ, "\"1970-01-01T00:00:01.5-00:30\"")).containsExactly(
        bytes(0x52, 0x0C, 0x08, 0x92, 0x1C, 0x10, 0x80, 0xCA, 0xB5, 0xEE, 0x01, 0x18, 0x8F, 0x1C));
    // No offset means UTC: the offset and the zero nano are left off.
    assertThat(value(TIMESTAMP_TZ, "\"1970-01-01 00:00:01\"")).containsExactly(bytes(0x52, 0x02, 0x08, 0x02));
  }

  @Test
  void integersAreZigzagAndBeyondSixtyFourBitsDecimalText() {
    assertThat(value("{\"type\": \"integer\"}", "-1")).containsExactly(bytes(0x18, 0x01));
    assertThat(value("{\"type\": \"integer\"}", "0")).containsExactly(bytes(0x18, 0x00));
    assertThat(value("{\"type\": \"integer\"}", "9223372036854775808")).containsExactly(
        concat(bytes(0x22, 19), "9223372036854775808".getBytes(StandardCharsets.US_ASCII)));
    // A string with airbyte_type big_integer is an integer too.
    assertThat(value("{\"type\": \"string\", \"airbyte_type\": \"big_integer\"}", "\"42\"")).containsExactly(bytes(0x18, 0x54));
  }

  @Test
  void nullAndMissingAreIsNull() {
    assertThat(value("{\"type\": \"integer\"}", "null")).containsExactly(bytes(0x68, 0x01));
    assertThat(ValueEncoder.encode(ColumnType.INTEGER, null)).containsExactly(bytes(0x68, 0x01));
  }

  @Test
  void numbersAreDoublesWhenExactElseDecimalText() {
    assertThat(value("{\"type\": \"number\"}", "0.5")).containsExactly(
        bytes(0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x3F));
    String digits = "12345678901234567890.5";
    assertThat(value("{\"type\": \"number\"}", digits)).containsExactly(
        concat(bytes(0x32, digits.length()), digits.getBytes(StandardCharsets.US_ASCII)));
    assertThat(value("{\"type\": \"string\", \"airbyte_type\": \"big_number\"}", "\"-12345.678\""))
        .isEqualTo(value("{\"type\": \"number\"}", "-12345.678"));
  }

  @Test
  void datesAndTimesAreDaysAndNanos() {
    assertThat(value("{\"type\": \"string\", \"format\": \"date\"}", "\"1970-01-02\"")).containsExactly(bytes(0x38, 0x02));
    assertThat(value("{\"type\": \"string\", \"format\": \"time\", \"airbyte_type\": \"time_without_timezone\"}",
        "\"00:00:01\"")).containsExactly(bytes(0x48, 0x80, 0x94, 0xEB, 0xDC, 0x03));
    assertThat(value("{\"type\": \"string\", \"format\": \"time\", \"airbyte_type\": \"time_with_timezone\"}",
        "\"00:00:00.000000001+01:00\"")).containsExactly(bytes(0x42, 0x05, 0x08, 0x01, 0x10, 0xA0, 0x38));
    assertThat(value(TIMESTAMP, "\"1970-01-02T00:00:00.000000001\"")).containsExactly(
        bytes(0x5A, 0x04, 0x08, 0x02, 0x10, 0x01));
  }

  @Test
  void scalarsAndJson() {
    assertThat(value("{\"type\": \"boolean\"}", "true")).containsExactly(bytes(0x08, 0x01));
    assertThat(value("{\"type\": [\"null\", \"string\"]}", "\"hi\"")).containsExactly(bytes(0x12, 0x02, 'h', 'i'));
    assertThat(value("{\"$ref\": \"WellKnownTypes.json#/definitions/BinaryData\"}", "\"aGk=\""))
        .containsExactly(bytes(0x12, 0x04, 'a', 'G', 'k', '='));
    assertThat(value("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}", "[\"a\"]"))
        .containsExactly(bytes(0x62, 0x05, '[', '"', 'a', '"', ']'));
    // Objects, unions and unknown types: JSON text.
    assertThat(value("{\"type\": \"object\", \"properties\": {}}", "{\"k\": 1.50}"))
        .containsExactly(concat(bytes(0x62, 10), "{\"k\":1.50}".getBytes(StandardCharsets.UTF_8)));
    assertThat(value("{\"type\": [\"string\", \"integer\"]}", "5")).containsExactly(bytes(0x62, 0x01, '5'));
    assertThat(value("{\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}", "\"x\""))
        .containsExactly(bytes(0x62, 0x03, '"', 'x', '"'));
    assertThat(value("{}", "true")).containsExactly(bytes(0x62, 0x04, 't', 'r', 'u', 'e'));
    assertThat(value("{\"oneOf\": [{\"type\": \"null\"}, {\"type\": \"integer\"}]}", "3")).containsExactly(bytes(0x18, 0x06));
  }

  @ParameterizedTest(name = "{1} for {0}")
  @CsvSource(delimiter = '|', value = {
    "{\"type\": \"number\"}|\"3.14\"|NUMBER|3.14",
    "{\"type\": \"boolean\"}|\"FALSE\"|BOOLEAN|false",
    "{\"type\": \"integer\"}|2.0|INTEGER|2",
    "{\"type\": \"string\"}|12.5|STRING|12.5",
    "{\"type\": \"string\"}|{\"a\": [1]}|STRING|{\"a\":[1]}",
    "{\"type\": \"string\", \"format\": \"date\"}|\"2024-03-01T23:00:00-05:00\"|DATE|2024-03-01",
    "{\"type\": \"string\", \"format\": \"date-time\", \"airbyte_type\": \"timestamp_without_timezone\"}|\"2024-03-01T12:30:00Z\"|TIMESTAMP_WITHOUT_TIMEZONE|2024-03-01T12:30",
    "{\"type\": \"string\", \"format\": \"date-time\"}|\"2024-03-01T12:30:00.123456-0800\"|TIMESTAMP_WITH_TIMEZONE|2024-03-01T12:30:00.123456-08:00",
    "{\"type\": \"string\", \"format\": \"date-time\"}|\"2024-03-01T00:00:00+05\"|TIMESTAMP_WITH_TIMEZONE|2024-03-01T00:00+05:00",
    "{\"type\": \"string\", \"format\": \"time\", \"airbyte_type\": \"time_without_timezone\"}|\"23:59:59.5\"|TIME_WITHOUT_TIMEZONE|23:59:59.500",
    "{\"type\": \"string\", \"format\": \"time\"}|\"07:15\"|TIME_WITH_TIMEZONE|07:15Z",
  })
  void valuesInAnotherSpellingOfTheirTypeAreConverted(String schema, String value, ValueCase valueCase, String expected)
      throws IOException {
    DecodedValue decoded = decoded(schema, value);
    assertThat(decoded.valueCase()).isEqualTo(valueCase);
    Object got = decoded.value();
    String text = got instanceof Double d ? java.math.BigDecimal.valueOf(d).toPlainString() : String.valueOf(got);
    assertThat(text).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{1} for {0}")
  @CsvSource(delimiter = '|', value = {
    "{\"type\": \"string\", \"format\": \"date\"}|\"2024-13-45\"|STRING",
    "{\"type\": \"boolean\"}|{\"x\": 1}|JSON",
    "{\"type\": \"integer\"}|3.5|NUMBER",
    "{\"type\": \"integer\"}|\"twelve\"|STRING",
    "{\"type\": \"number\"}|true|BOOLEAN",
    "{\"type\": \"string\", \"format\": \"date-time\"}|\"not a timestamp\"|STRING",
    "{\"type\": \"string\", \"format\": \"date-time\"}|1700000000|INTEGER",
  })
  void aValueItsTypeCannotHoldIsSentInTheCaseOfItsJsonKind(String schema, String value, ValueCase valueCase)
      throws IOException {
    assertThat(decoded(schema, value).valueCase()).isEqualTo(valueCase);
  }

  @Test
  void aWrongCaseCarriesTheValuesText() throws IOException {
    byte[] wrong = ValueEncoder.encodeAs(ValueCase.BIG_DECIMAL, json("\"2024-03-01T12:30:00Z\""));
    assertThat(wrong).containsExactly(concat(bytes(0x32, 20), "2024-03-01T12:30:00Z".getBytes(StandardCharsets.US_ASCII)));
    assertThat(ValueEncoder.encodeAs(ValueCase.BIG_DECIMAL, json("null"))).containsExactly(bytes(0x68, 0x01));
    assertThat(ValueEncoder.encodeAs(ValueCase.JSON, json("7"))).containsExactly(bytes(0x62, 0x01, '7'));
    assertThat(SocketClient.value(CodedInputStream.newInstance(ValueEncoder.encodeAs(ValueCase.TIMESTAMP_WITH_TIMEZONE,
        json("\"x\""))))).isEqualTo(new DecodedValue(ValueCase.TIMESTAMP_WITH_TIMEZONE,
        OffsetDateTime.parse("1970-01-01T00:00:01Z")));
  }

  private static ConfiguredCatalog catalog(String streamsJson) {
    return ConfiguredCatalog.fromJson(json("{\"streams\": " + streamsJson + "}"));
  }

  @Test
  void aWholeRecordMatchesItsHandWrittenBytes() {
    ProtobufRecordEncoder encoder = new ProtobufRecordEncoder(catalog("[{\"stream\": {\"name\": \"s\", \"namespace\": \"n\","
        + " \"json_schema\": {\"properties\": {\"b\": {\"type\": \"integer\"}, \"a\": {\"type\": \"string\"}}}}}]"));
    JsonNode record = json("{\"namespace\": \"n\", \"stream\": \"s\", \"emitted_at\": 1000, \"data\": {\"b\": 7,"
        + " \"extra\": 1}, \"meta\": {\"changes\": [{\"field\": \"a\", \"change\": \"TRUNCATED\","
        + " \"reason\": \"SOURCE_FIELD_SIZE_LIMITATION\"}]}}");
    byte[] body = bytes(
        0x0A, 0x01, 'n', // namespace
        0x12, 0x01, 's', // stream
        0x18, 0xE8, 0x07, // emitted_at 1000
        0x22, 0x02, 'p', '1', // partition_id
        0x2A, 0x02, 0x68, 0x01, // a: missing, is_null
        0x2A, 0x02, 0x18, 0x0E, // b: integer 7 (zigzag 14); "extra" is not in the schema
        0x32, 0x09, 0x0A, 0x07, 0x0A, 0x01, 'a', 0x10, 0x01, 0x18, 0x03); // meta: a TRUNCATED (1) reason 3
    byte[] message = concat(bytes(0x0A, body.length), body);
    assertThat(encoder.encode(record, "p1", Map.of(), "message 1")).containsExactly(message);
    assertThat(ProtobufRecordEncoder.delimited(message)).containsExactly(concat(bytes(message.length), message));
    assertThat(ProtobufRecordEncoder.probe()).containsExactly(bytes(0x1A, 0x00));
    assertThat(ProtobufRecordEncoder.airbyteMessage("{}")).containsExactly(bytes(0x12, 0x02, '{', '}'));
  }

  @Test
  void valuesFollowThePropertiesInJavaStringOrder() {
    ProtobufRecordEncoder encoder = new ProtobufRecordEncoder(ConfiguredCatalog.fromJson(
        SocketScript.readTree(SocketSourceTest.fixture("typed_catalog.json"))));
    assertThat(encoder.columns(new StreamDescriptor("Sales-EU", "Typed Values"))).containsExactly(
        "Mixed Case", "active", "amount", "attrs", "born", "id", "local_at", "name", "seen_at", "tags", "wake");
  }

  @Test
  void theTypedFixtureDecodesToItsValues() throws IOException {
    Path catalog = SocketSourceTest.fixture("typed_catalog.json");
    SocketScript script = SocketScript.builder(catalog, io.destkit.protocol.DataChannel.Format.PROTOBUF)
        .build(SocketSourceTest.fixture("typed_messages.jsonl"));
    SocketClient.DecodedRecord first = SocketClient.decode(1, script.bytes(1), script.format()).get(0).record();
    assertThat(first.values()).extracting(DecodedValue::value).containsExactly(
        "MC", true, 12.5, "{\"k\":\"v\"}", LocalDate.parse("1990-02-28"), 1L, LocalDateTime.parse("2024-03-01T12:30:00"),
        "Alice", OffsetDateTime.parse("2024-03-01T12:30:00+02:00"), "[\"a\",\"b\"]", LocalTime.parse("07:15:00"));
    assertThat(first.changes()).containsExactly(new SocketClient.DecodedChange("ssn", 0, 9));
  }

  @Test
  void recordsTheEncoderCannotPlaceAreRefusedNamingTheMessage() {
    ProtobufRecordEncoder encoder = new ProtobufRecordEncoder(catalog("[{\"stream\": {\"name\": \"s\", \"json_schema\": {}}}]"));
    assertThatThrownBy(() -> encoder.encode(json("{\"stream\": \"other\", \"data\": {}}"), "p", Map.of(), "message 4"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message 4").hasMessageContaining("other");
    assertThatThrownBy(() -> encoder.encode(json("{\"stream\": \"s\", \"data\": {}}"), "p", Map.of(), "message 5"))
        .hasMessageContaining("message 5").hasMessageContaining("declares no properties");
    ProtobufRecordEncoder typed = new ProtobufRecordEncoder(catalog(
        "[{\"stream\": {\"name\": \"s\", \"json_schema\": {\"properties\": {\"a\": {\"type\": \"string\"}}}}}]"));
    assertThatThrownBy(() -> typed.encode(json("{\"stream\": \"s\", \"data\": {}, \"meta\": {\"changes\": [{\"field\":"
        + " \"a\", \"change\": \"NULLED\", \"reason\": \"BECAUSE\"}]}}"), "p", Map.of(), "message 6"))
        .hasMessageContaining("message 6: meta.changes[0].reason is 'BECAUSE'");
  }
}
