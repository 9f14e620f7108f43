package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ChangeReason;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.Coercers;
import io.destkit.core.typing.ValueChange;
import io.destkit.protocol.MessageCodec;
import java.math.BigDecimal;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What PostgreSQL cannot store: nulled when out of range, cleaned of U+0000. */
class PostgresValueLimitsTest {
  private final PostgresValueLimits limits = new PostgresValueLimits();
  private final List<String> changes = new ArrayList<>();

  /** Reads a JSON value through the kit's coercer with PostgreSQL's limits, collecting changes. */
  private Object read(AirbyteType type, String json) throws Exception {
    try (JsonParser parser = MessageCodec.MAPPER.getFactory().createParser(json)) {
      parser.nextToken();
      return Coercers.forType(type, limits).read(parser, (change, reason) -> changes.add(change + " " + reason));
    }
  }

  @Test
  void nulIsRemovedFromTextAndTheChangeRecorded() throws Exception {
    assertThat(read(AirbyteType.STRING, "\"a\\u0000b\\u0000\"")).isEqualTo("ab");
    assertThat(changes).containsExactly("TRUNCATED DESTINATION_SERIALIZATION_ERROR");
  }

  @Test
  void nulIsRemovedFromJsonStringsAndKeys() throws Exception {
    assertThat(read(AirbyteType.UNKNOWN, "{\"k\\u0000\": [\"x\\u0000y\", 1]}")).isEqualTo("{\"k\":[\"xy\",1]}");
    assertThat(read(AirbyteType.OBJECT_WITHOUT_SCHEMA, "{\"a\": \"\\u0000\"}")).isEqualTo("{\"a\":\"\"}");
    assertThat(changes).hasSize(2);
  }

  @Test
  void anEscapedBackslashBeforeU0000IsTextAndStays() throws Exception {
    assertThat(read(AirbyteType.UNKNOWN, "\"C:\\\\u0000\"")).isEqualTo("\"C:\\\\u0000\"");
    assertThat(read(AirbyteType.UNKNOWN, "\"\\\\\\u0000\"")).isEqualTo("\"\\\\\"");
    assertThat(changes).hasSize(1);
  }

  @Test
  void valuesWithoutNulAreTheSameInstanceAndNoChangeIsRecorded() throws Exception {
    String text = "plain";
    assertThat(PostgresValueLimits.withoutNul(text)).isSameAs(text);
    String json = "{\"a\":\"\\\\u0000\"}";
    assertThat(PostgresValueLimits.withoutJsonNul(json)).isSameAs(json);
    assertThat(read(AirbyteType.STRING, "\"plain\"")).isEqualTo("plain");
    assertThat(changes).isEmpty();
  }

  @Test
  void textInAStringColumnKeepsJsonEscapesForTheyAreText() throws Exception {
    // An object in a string column is stored as its JSON text: "\u0000" there is six characters.
    assertThat(read(AirbyteType.STRING, "{\"a\": \"\\u0000\"}")).isEqualTo("{\"a\":\"\\u0000\"}");
    assertThat(changes).isEmpty();
  }

  @Test
  void numbersBeyondNumericsDigitsAreTooLarge() throws Exception {
    assertThat(read(AirbyteType.NUMBER, "1e131071")).isInstanceOf(BigDecimal.class);
    assertThatThrownBy(() -> read(AirbyteType.NUMBER, "1e131072")).isSameAs(CoercionFailure.FIELD_SIZE);
    assertThat(read(AirbyteType.NUMBER, "1e-16383")).isInstanceOf(BigDecimal.class);
    assertThatThrownBy(() -> read(AirbyteType.NUMBER, "1e-16384")).isSameAs(CoercionFailure.FIELD_SIZE);
    assertThat(read(AirbyteType.NUMBER, "-123456789012345678901234567890.123456789"))
        .isEqualTo(new BigDecimal("-123456789012345678901234567890.123456789"));
  }

  @Test
  void timeZoneOffsetsOfSixteenHoursOrMoreAreTooLarge() throws Exception {
    limits.check(AirbyteType.TIME_WITH_TIMEZONE, OffsetTime.of(1, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(15, 59, 59)));
    assertThatThrownBy(
            () -> limits.check(AirbyteType.TIME_WITH_TIMEZONE, OffsetTime.of(1, 0, 0, 0, ZoneOffset.ofHours(-16))))
        .isSameAs(CoercionFailure.FIELD_SIZE);
  }

  @Test
  void theLimitsAreTheOnesPostgresDocuments() {
    assertThat(PostgresValueLimits.MAX_INTEGER_DIGITS).isEqualTo(131_072);
    assertThat(PostgresValueLimits.MAX_FRACTION_DIGITS).isEqualTo(16_383);
    assertThat(PostgresValueLimits.MAX_TEXT_BYTES).isLessThan(1L << 30);
    assertThat(PostgresValueLimits.MAX_JSON_BYTES).isLessThan(1L << 28);
    assertThat(ValueChange.TRUNCATED.name()).isEqualTo("TRUNCATED");
    assertThat(ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION.name()).isEqualTo("DESTINATION_FIELD_SIZE_LIMITATION");
  }
}
