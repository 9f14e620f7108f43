package io.destkit.core.typing;

import static io.destkit.core.typing.ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION;
import static io.destkit.core.typing.ChangeReason.DESTINATION_SERIALIZATION_ERROR;
import static io.destkit.core.typing.Values.read;
import static io.destkit.core.typing.Values.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** String, boolean, integer and number columns. */
class ScalarCoercionTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "\"foo\"                    | foo",
        "\"\"                       | ``",
        "\"héllo \\u2603 \\\"q\\\"\" | héllo ☃ \"q\"",
        "42                         | 42",
        "-0.50                      | -0.50",
        "1e400                      | 1e400",
        "67.174118                  | 67.174118",
        "true                       | true",
        "false                      | false",
        "{\"a\": [1, 2.50, \"x\"]}  | {\"a\":[1,2.50,\"x\"]}",
        "[ ]                        | []",
        "[{}, null]                 | [{},null]"
      })
  void stringColumnsKeepTextAndTurnOtherValuesIntoTheirJsonText(String json, String expected)
      throws Exception {
    assertThat(read(AirbyteType.STRING, json)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "true, true",
    "false, false",
    "'\"true\"', true",
    "'\"FALSE\"', false",
    "'\"True\"', true",
    "'\"fAlSe\"', false"
  })
  void booleanColumnsAcceptBooleansAndTheirWords(String json, boolean expected) throws Exception {
    assertThat(read(AirbyteType.BOOLEAN, json)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"fizz\"", "\"yes\"", "\"\"", "\" true\"", "1", "0", "1.0", "{}", "[true]", "{\"a\":{}}"})
  void booleanColumnsRefuseAnythingElse(String json) throws Exception {
    assertThat(refusal(AirbyteType.BOOLEAN, json)).isEqualTo(DESTINATION_SERIALIZATION_ERROR);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "42, 42",
    "0, 0",
    "-0, 0",
    "-17, -17",
    "9223372036854775807, 9223372036854775807",
    "-9223372036854775808, -9223372036854775808",
    "1.0, 1",
    "-3.000, -3",
    "1e3, 1000",
    "2.5E1, 25",
    "0.0, 0",
    "'\"42\"', 42",
    "'\"-42\"', -42",
    "'\"+7\"', 7",
    "'\"9223372036854775807\"', 9223372036854775807",
    "'\"1.0\"', 1"
  })
  void integerColumnsAcceptIntegralValues(String json, long expected) throws Exception {
    assertThat(read(AirbyteType.INTEGER, json)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.5",
        "0.001",
        "-1e-3",
        "\"bar\"",
        "\" 42\"",
        "\"42 \"",
        "\"\"",
        "\"-\"",
        "\"4 2\"",
        "\"0x1F\"",
        "\"NaN\"",
        "\"Infinity\"",
        "true",
        "{}",
        "{\"v\": 1}",
        "[1]"
      })
  void integerColumnsRefuseNonIntegralValues(String json) throws Exception {
    assertThat(refusal(AirbyteType.INTEGER, json)).isEqualTo(DESTINATION_SERIALIZATION_ERROR);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "\"9223372036854775808\"",
        "9.3e18",
        "1e400",
        "\"1e999999999\""
      })
  void integerColumnsRefuseValuesBeyondSixtyFourBitsAsTooLarge(String json) throws Exception {
    assertThat(refusal(AirbyteType.INTEGER, json)).isEqualTo(DESTINATION_FIELD_SIZE_LIMITATION);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "42.1, 42.1",
    "67.174118, 67.174118",
    "0.1, 0.1",
    "-0.000001, -0.000001",
    "42, 42",
    "1.50, 1.50",
    "12345678901234567890123456789.123456789, 12345678901234567890123456789.123456789",
    "1e2, 100",
    "1.5E-3, 0.0015",
    "'\"42.1\"', 42.1",
    "'\"-7\"', -7",
    "'\"1e3\"', 1000",
    "'\"99999999999999999999999999999999999999\"', 99999999999999999999999999999999999999"
  })
  void numberColumnsReadTheExactDecimalWritten(String json, String expected) throws Exception {
    Object value = read(AirbyteType.NUMBER, json);
    assertThat(value).isInstanceOf(BigDecimal.class);
    assertThat(value).isEqualTo(new BigDecimal(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"foo\"",
        "\"NaN\"",
        "\"Infinity\"",
        "\"-Infinity\"",
        "\"\"",
        "\"1.2.3\"",
        "\" 1\"",
        "\"1e\"",
        "\".\"",
        "true",
        "false",
        "{}",
        "[1.5]",
        "{\"n\": [1, {\"m\": 2}]}"
      })
  void numberColumnsRefuseWhatIsNotANumber(String json) throws Exception {
    assertThat(refusal(AirbyteType.NUMBER, json)).isEqualTo(DESTINATION_SERIALIZATION_ERROR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"1e99999999999\"", "\"1e2147483648\""})
  void numberColumnsRefuseExponentsNoDecimalCanHoldAsTooLarge(String json) throws Exception {
    assertThat(refusal(AirbyteType.NUMBER, json)).isEqualTo(DESTINATION_FIELD_SIZE_LIMITATION);
  }

  @Test
  void numberColumnsKeepHugeExponentsUnexpandedForTheLimitsToJudge() throws Exception {
    BigDecimal value = (BigDecimal) read(AirbyteType.NUMBER, "1e999999999");
    assertThat(value.scale()).isEqualTo(-999999999);
  }
}
