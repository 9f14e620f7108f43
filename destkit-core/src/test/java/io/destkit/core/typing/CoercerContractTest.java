package io.destkit.core.typing;

import static io.destkit.core.typing.Values.read;
import static io.destkit.core.typing.Values.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every coercer guarantees, whatever its type. */
class CoercerContractTest {
  /** One valid value of each type, and the Java class it is read as. */
  private static final Map<AirbyteType, Object[]> VALID = new LinkedHashMap<>();

  static {
    VALID.put(AirbyteType.STRING, new Object[] {"\"foo\"", String.class});
    VALID.put(AirbyteType.BOOLEAN, new Object[] {"true", Boolean.class});
    VALID.put(AirbyteType.INTEGER, new Object[] {"42", Long.class});
    VALID.put(AirbyteType.NUMBER, new Object[] {"42.1", BigDecimal.class});
    VALID.put(AirbyteType.DATE, new Object[] {"\"2023-01-23\"", LocalDate.class});
    VALID.put(
        AirbyteType.TIMESTAMP_WITH_TIMEZONE, new Object[] {"\"2023-01-23T12:34:56Z\"", OffsetDateTime.class});
    VALID.put(
        AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, new Object[] {"\"2023-01-23T12:34:56\"", LocalDateTime.class});
    VALID.put(AirbyteType.TIME_WITH_TIMEZONE, new Object[] {"\"12:34:56Z\"", OffsetTime.class});
    VALID.put(AirbyteType.TIME_WITHOUT_TIMEZONE, new Object[] {"\"12:34:56\"", LocalTime.class});
    LinkedHashMap<String, FieldType> properties = new LinkedHashMap<>();
    properties.put("a", new FieldType(AirbyteType.INTEGER, true));
    VALID.put(new ObjectType(properties), new Object[] {"{\"a\": 1}", String.class});
    VALID.put(AirbyteType.OBJECT_WITH_EMPTY_SCHEMA, new Object[] {"{\"a\": 1}", String.class});
    VALID.put(AirbyteType.OBJECT_WITHOUT_SCHEMA, new Object[] {"{\"a\": 1}", String.class});
    VALID.put(new ArrayType(new FieldType(AirbyteType.STRING, true)), new Object[] {"[\"a\"]", String.class});
    VALID.put(AirbyteType.ARRAY_WITHOUT_SCHEMA, new Object[] {"[\"a\"]", String.class});
    VALID.put(new UnionType(List.of(AirbyteType.STRING, AirbyteType.BOOLEAN)), new Object[] {"true", String.class});
    VALID.put(AirbyteType.UNKNOWN, new Object[] {"{\"a\": [1]}", String.class});
  }

  /** Values of every shape, valid or not for a given type. */
  private static final List<String> EVERY_SHAPE =
      List.of(
          "\"foo\"",
          "\"2023-01-23T12:34:56Z\"",
          "\"12:34:56\"",
          "\"42\"",
          "42",
          "-1.5e3",
          "9223372036854775808",
          "true",
          "false",
          "{}",
          "[]",
          "{\"a\": {\"b\": [1, {\"c\": null}]}, \"d\": \"e\"}",
          "[[1, 2], {\"x\": []}, \"y\"]");

  static Stream<AirbyteType> everyType() {
    return VALID.keySet().stream();
  }

  static Stream<Arguments> everyTypeWithEveryShape() {
    List<Arguments> cases = new ArrayList<>();
    for (AirbyteType type : VALID.keySet()) {
      for (String json : EVERY_SHAPE) {
        cases.add(Arguments.of(type, json));
      }
    }
    return cases.stream();
  }

  @Test
  void everyKindOfTypeIsCovered() {
    assertThat(VALID.keySet().stream().map(Object::getClass).distinct())
        .hasSize(AirbyteType.class.getPermittedSubclasses().length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void eachTypeReadsItsDocumentedJavaClass(AirbyteType type) throws Exception {
    Object[] valid = VALID.get(type);
    assertThat(read(type, (String) valid[0])).isInstanceOf((Class<?>) valid[1]);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyTypeWithEveryShape")
  void eachCoercerConsumesExactlyOneValueWhetherItAcceptsOrRefusesIt(AirbyteType type, String json)
      throws Exception {
    try {
      read(type, json); // Values.read asserts that the next token is the field "next"
    } catch (CoercionFailure expected) {
      assertThat(expected.reason()).isNotNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void aCoercerReadsValueAfterValueFromOneStream(AirbyteType type) throws Exception {
    String valid = (String) VALID.get(type)[0];
    String junk = "[{\"junk\": [1, 2]}, 3]";
    ValueCoercer coercer = Coercers.forType(type, ValueLimits.NONE);
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      input.append(i % 3 == 0 ? junk : valid).append(' ');
    }
    Object expected = read(type, valid);
    int values = 0;
    try (JsonParser parser = Values.JSON.createParser(input.toString().getBytes(StandardCharsets.UTF_8))) {
      for (; parser.nextToken() != null; values++) {
        if (values % 3 == 0) {
          try {
            coercer.read(parser); // accepted by string, array and JSON columns, refused by others
          } catch (CoercionFailure refused) {
            assertThat(refused.reason()).isEqualTo(ChangeReason.DESTINATION_SERIALIZATION_ERROR);
          }
        } else {
          assertThat(coercer.read(parser)).isEqualTo(expected);
        }
      }
    }
    assertThat(values).isEqualTo(300);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void limitsSeeEachAcceptedValueAndMayRefuseItAsTooLarge(AirbyteType type) throws Exception {
    Object[] valid = VALID.get(type);
    List<Object> seen = new ArrayList<>();
    ValueLimits refuseAll =
        (t, v) -> {
          assertThat(t).isEqualTo(type);
          seen.add(v);
          throw CoercionFailure.FIELD_SIZE;
        };
    ValueCoercer coercer = Coercers.forType(type, refuseAll);
    assertThatThrownBy(() -> read(coercer, (String) valid[0])).isSameAs(CoercionFailure.FIELD_SIZE);
    assertThat(seen).singleElement().isInstanceOf((Class<?>) valid[1]);
  }

  @Test
  void limitsAreNotConsultedForRefusedValues() throws Exception {
    List<Object> seen = new ArrayList<>();
    ValueCoercer coercer = Coercers.forType(AirbyteType.INTEGER, (t, v) -> seen.add(v));
    assertThatThrownBy(() -> read(coercer, "\"bar\"")).isSameAs(CoercionFailure.SERIALIZATION);
    assertThat(seen).isEmpty();
  }

  @Test
  void aStringLengthLimitRefusesLongStrings() throws Exception {
    ValueLimits maxFive =
        (t, v) -> {
          if (v instanceof String s && s.length() > 5) {
            throw CoercionFailure.FIELD_SIZE;
          }
        };
    ValueCoercer coercer = Coercers.forType(AirbyteType.STRING, maxFive);
    assertThat(read(coercer, "\"short\"")).isEqualTo("short");
    assertThatThrownBy(() -> read(coercer, "\"too long\"")).isSameAs(CoercionFailure.FIELD_SIZE);
  }

  @Test
  void nullLimitsMeanNoLimits() throws Exception {
    assertThat(read(Coercers.forType(AirbyteType.INTEGER, null), "7")).isEqualTo(7L);
  }

  @Test
  void failuresArePreallocatedAndCarryNoStackTrace() {
    assertThat(CoercionFailure.SERIALIZATION.reason()).isEqualTo(ChangeReason.DESTINATION_SERIALIZATION_ERROR);
    assertThat(CoercionFailure.FIELD_SIZE.reason()).isEqualTo(ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);
    assertThat(CoercionFailure.SERIALIZATION.getStackTrace()).isEmpty();
    assertThat(CoercionFailure.FIELD_SIZE.getStackTrace()).isEmpty();
    CoercionFailure.SERIALIZATION.fillInStackTrace();
    assertThat(CoercionFailure.SERIALIZATION.getStackTrace()).isEmpty();
  }

  @Test
  void integerTwoToTheSixtyThreeIsTooLarge() throws Exception {
    assertThat(Values.refusal(AirbyteType.INTEGER, "9223372036854775808"))
        .isEqualTo(ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);
  }

  @Test
  void coercersOfOneTypeShareNoState() throws Exception {
    ValueCoercer first = Coercers.forType(AirbyteType.UNKNOWN, ValueLimits.NONE);
    ValueCoercer second = Coercers.forType(AirbyteType.UNKNOWN, ValueLimits.NONE);
    assertThat(first).isNotSameAs(second);
    byte[] input = "{\"a\": [1, 2], \"b\": {\"c\": 3}}".getBytes(StandardCharsets.UTF_8);
    try (JsonParser p1 = Values.JSON.createParser(input);
        JsonParser p2 = Values.JSON.createParser(input)) {
      // Interleave two half-read values: each coercer finishes its own.
      p1.nextToken();
      p1.nextToken();
      p1.nextToken();
      p2.nextToken();
      p2.nextToken();
      p2.nextToken();
      assertThat(first.read(p1)).isEqualTo("[1,2]");
      assertThat(second.read(p2)).isEqualTo("[1,2]");
      assertThat(p1.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
      p1.nextToken();
      assertThat(first.read(p1)).isEqualTo("{\"c\":3}");
    }
  }

  @Test
  void aJsonCopyInterruptedByMalformedInputLeavesTheCoercerUsable() throws Exception {
    ValueCoercer coercer = Coercers.forType(AirbyteType.UNKNOWN, ValueLimits.NONE);
    try (JsonParser parser = Values.JSON.createParser("{\"a\": [1, }".getBytes(StandardCharsets.UTF_8))) {
      parser.nextToken();
      assertThatThrownBy(() -> coercer.read(parser)).isInstanceOf(java.io.IOException.class);
    }
    assertThat(read(coercer, "{\"b\": 2}")).isEqualTo("{\"b\":2}");
  }

  @Test
  void aCoercerCalledOffAValueIsAProgrammingError() throws Exception {
    ValueCoercer coercer = Coercers.forType(AirbyteType.STRING, ValueLimits.NONE);
    try (JsonParser parser = Values.JSON.createParser("{\"a\": 1}".getBytes(StandardCharsets.UTF_8))) {
      parser.nextToken();
      parser.nextToken();
      assertThatThrownBy(() -> coercer.read(parser)).isInstanceOf(IllegalStateException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void aJsonNullThatReachesACoercerGivesNull(AirbyteType type) throws Exception {
    assertThat(read(type, "null")).isNull();
  }

  /**
   * A schema that lost its type (here: only a format or airbyte_type is left) is stored as JSON,
   * so no value is lost whatever type it was meant to have.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void aFieldWhoseSchemaHasNoTypeKeepsAnyValueAsJson(AirbyteType meant) throws Exception {
    String json = (String) VALID.get(meant)[0];
    for (String schema : List.of("{}", "{\"format\": \"date-time\"}", "{\"airbyte_type\": \"integer\"}")) {
      AirbyteType type = AirbyteTypeParser.parse(tree(schema));
      assertThat(type).isInstanceOf(UnknownType.class);
      assertThat(tree((String) read(type, json))).isEqualTo(tree(json));
    }
  }
}
