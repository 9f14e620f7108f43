package io.destkit.core.typing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Feeds values to coercers the way the pipeline does: one field of a record's data object. */
final class Values {
  /** The kit's own parser configuration, limits included. */
  static final JsonFactory JSON = io.destkit.protocol.JsonConfiguration.FACTORY;
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Values() {}

  /** Reads {@code valueJson} with a fresh coercer and no limits. */
  static Object read(AirbyteType type, String valueJson) throws IOException, CoercionFailure {
    return read(Coercers.forType(type, ValueLimits.NONE), valueJson);
  }

  /**
   * Reads the value of {@code {"v": <valueJson>, "next": 1}} from a UTF-8 byte parser and checks
   * that the coercer consumed exactly that value, whether it succeeded or failed.
   */
  static Object read(ValueCoercer coercer, String valueJson) throws IOException, CoercionFailure {
    byte[] record = ("{\"v\": " + valueJson + ", \"next\": 1}").getBytes(StandardCharsets.UTF_8);
    try (JsonParser parser = JSON.createParser(record)) {
      return readField(coercer, parser);
    }
  }

  /** As {@link #read(ValueCoercer, String)}, from a character-based parser. */
  static Object readFromChars(ValueCoercer coercer, String valueJson)
      throws IOException, CoercionFailure {
    try (JsonParser parser = JSON.createParser("{\"v\": " + valueJson + ", \"next\": 1}")) {
      return readField(coercer, parser);
    }
  }

  private static Object readField(ValueCoercer coercer, JsonParser parser)
      throws IOException, CoercionFailure {
    assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
    assertThat(parser.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
    parser.nextToken();
    try {
      return coercer.read(parser);
    } finally {
      assertThat(parser.nextToken()).as("token after the value").isEqualTo(JsonToken.FIELD_NAME);
      assertThat(parser.currentName()).isEqualTo("next");
    }
  }

  /** The reason a value is refused; fails the test when it is accepted. */
  static ChangeReason refusal(AirbyteType type, String valueJson) throws IOException {
    try {
      Object value = read(type, valueJson);
      return fail("expected %s to be refused for %s, got %s", valueJson, type, value);
    } catch (CoercionFailure failure) {
      return failure.reason();
    }
  }

  /** A JSON string literal of {@code text}. */
  static String quoted(String text) {
    try {
      return MAPPER.writeValueAsString(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }
}
