package io.destkit.core.typing;

import static io.destkit.core.typing.ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION;
import static io.destkit.core.typing.ChangeReason.DESTINATION_SERIALIZATION_ERROR;
import static io.destkit.protocol.JsonConfiguration.MAX_VALUE_DEPTH;
import static io.destkit.core.typing.Values.read;
import static io.destkit.core.typing.Values.refusal;
import static io.destkit.core.typing.Values.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Object, array, union and unknown columns: all stored as compact JSON text. */
class JsonCoercionTest {
  private static final ObjectType SCHEMATIZED_OBJECT =
      (ObjectType)
          AirbyteTypeParser.parse(
              tree("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}"));

  static Stream<AirbyteType> objectTypes() {
    return Stream.of(
        SCHEMATIZED_OBJECT, AirbyteType.OBJECT_WITH_EMPTY_SCHEMA, AirbyteType.OBJECT_WITHOUT_SCHEMA);
  }

  static Stream<AirbyteType> arrayTypes() {
    return Stream.of(
        new ArrayType(new FieldType(AirbyteType.INTEGER, true)), AirbyteType.ARRAY_WITHOUT_SCHEMA);
  }

  static Stream<AirbyteType> anyValueTypes() {
    return Stream.of(
        AirbyteType.UNKNOWN,
        new UnknownType(tree("{\"allOf\":[]}")),
        new UnionType(List.of(AirbyteType.STRING, AirbyteType.INTEGER)));
  }

  @ParameterizedTest
  @MethodSource("objectTypes")
  void objectColumnsStoreTheObjectAsCompactJsonWhateverItsProperties(AirbyteType type)
      throws Exception {
    assertThat(read(type, "{ \"id\" : \"not an integer\", \"extra\" : [ 1 , 2.50 ] }"))
        .isEqualTo("{\"id\":\"not an integer\",\"extra\":[1,2.50]}");
    assertThat(read(type, "{}")).isEqualTo("{}");
  }

  @ParameterizedTest
  @MethodSource("objectTypes")
  void objectColumnsRefuseArraysAndScalars(AirbyteType type) throws Exception {
    for (String json : List.of("[]", "[{\"id\": 1}]", "\"{}\"", "42", "true")) {
      assertThat(refusal(type, json)).as(json).isEqualTo(DESTINATION_SERIALIZATION_ERROR);
    }
  }

  @ParameterizedTest
  @MethodSource("arrayTypes")
  void arrayColumnsStoreTheArrayAsCompactJson(AirbyteType type) throws Exception {
    assertThat(read(type, "[ \"foo\", 1, null, {\"a\": [ ]}, 67.174118 ]"))
        .isEqualTo("[\"foo\",1,null,{\"a\":[]},67.174118]");
    assertThat(read(type, "[]")).isEqualTo("[]");
  }

  @ParameterizedTest
  @MethodSource("arrayTypes")
  void arrayColumnsRefuseObjectsAndScalars(AirbyteType type) throws Exception {
    for (String json : List.of("{}", "{\"a\": [1]}", "\"[]\"", "42", "false")) {
      assertThat(refusal(type, json)).as(json).isEqualTo(DESTINATION_SERIALIZATION_ERROR);
    }
  }

  @ParameterizedTest
  @MethodSource("anyValueTypes")
  void unionAndUnknownColumnsStoreAnyValueAsItsJsonText(AirbyteType type) throws Exception {
    assertThat(read(type, "\"foo\"")).isEqualTo("\"foo\"");
    assertThat(read(type, "42")).isEqualTo("42");
    assertThat(read(type, "67.174118")).isEqualTo("67.174118");
    assertThat(read(type, "true")).isEqualTo("true");
    assertThat(read(type, "{\"a\": {\"b\": [true, false, null]}}"))
        .isEqualTo("{\"a\":{\"b\":[true,false,null]}}");
    assertThat(read(type, "[1, \"two\"]")).isEqualTo("[1,\"two\"]");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[1.0, 1.50, -0.0, 1E+2, 1e-7, 123456789012345678901234567890.123456789]",
        "[\"quote \\\" backslash \\\\ tab \\t newline \\n nul \\u0000\"]",
        "[\"unicode é ☃ 😀 \\ud83d\\ude00\"]",
        "{\"\":\"empty name\",\"dup\":1,\"dup\":2,\"na\\\"me\":3}",
        "[[[[[[[[[[[]]]]]]]]]]]"
      })
  void jsonTextKeepsNumbersExactlyAndEscapesStrings(String json) throws Exception {
    String text = (String) read(AirbyteType.UNKNOWN, json);
    assertThat(tree(text)).isEqualTo(tree(json));
    assertThat(text).doesNotContain(" ,").doesNotContain(": ");
    if (json.startsWith("[1.0")) {
      assertThat(text).isEqualTo("[1.0,1.50,-0.0,1E+2,1e-7,123456789012345678901234567890.123456789]");
    }
  }

  @Test
  void jsonTextOfLargeValuesIsCompleteAndTheBufferIsReusedAfterwards() throws Exception {
    ValueCoercer coercer = Coercers.forType(AirbyteType.ARRAY_WITHOUT_SCHEMA, ValueLimits.NONE);
    String big = "\"" + "x".repeat(3_000_000) + "\"";
    String json = "[" + big + "," + big + "]";
    assertThat((String) read(coercer, json)).hasSize(json.length());
    assertThat(read(coercer, "[1]")).isEqualTo("[1]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\": 1}", "[1, [2]]", "\"s\"", "1"})
  void jsonColumnsWorkWithCharacterParsersToo(String json) throws Exception {
    ValueCoercer coercer = Coercers.forType(AirbyteType.UNKNOWN, ValueLimits.NONE);
    assertThat(Values.readFromChars(coercer, json)).isEqualTo(tree(json).toString());
  }

  @Test
  void schemaPropertiesDoNotFilterTheStoredObject() throws Exception {
    LinkedHashMap<String, FieldType> properties = new LinkedHashMap<>();
    properties.put("kept", new FieldType(AirbyteType.STRING, true));
    assertThat(read(new ObjectType(properties), "{\"kept\": 1, \"other\": 2}"))
        .isEqualTo("{\"kept\":1,\"other\":2}");
  }

  /** Compact JSON nested {@code depth} levels, objects and arrays in turn, starting with {@code first}. */
  static String nested(int depth, char first) {
    StringBuilder open = new StringBuilder();
    StringBuilder close = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      boolean object = (i % 2 == 0) == (first == '{');
      open.append(object ? "{\"k\":" : "[");
      close.insert(0, object ? '}' : ']');
    }
    return open + "1" + close;
  }

  static Stream<AirbyteType> everyJsonColumnType() {
    return Stream.concat(Stream.concat(objectTypes(), arrayTypes()), anyValueTypes());
  }

  private static char firstOf(AirbyteType type) {
    return arrayTypes().anyMatch(type::equals) ? '[' : '{';
  }

  @ParameterizedTest
  @MethodSource("everyJsonColumnType")
  void aValueNestedUpToTheDepthLimitIsStoredWhole(AirbyteType type) throws Exception {
    ValueCoercer coercer = Coercers.forType(type, ValueLimits.NONE);
    for (int depth : new int[] {1_500, MAX_VALUE_DEPTH}) {
      String json = nested(depth, firstOf(type));
      assertThat((String) read(coercer, json)).as("depth " + depth).isEqualTo(json);
    }
  }

  @ParameterizedTest
  @MethodSource("everyJsonColumnType")
  void aValueNestedDeeperThanTheLimitIsRefusedAsTooLargeAndReadPastWhole(AirbyteType type) throws Exception {
    for (int depth : new int[] {MAX_VALUE_DEPTH + 1, 20_000, 50_000}) {
      // Values.read checks that the whole value was consumed, refused or not.
      assertThat(refusal(type, nested(depth, firstOf(type)))).as("depth " + depth)
          .isEqualTo(DESTINATION_FIELD_SIZE_LIMITATION);
    }
  }

  @Test
  void aCoercerRefusingADeepValueStoresTheNextValueWhole() throws Exception {
    ValueCoercer coercer = Coercers.forType(AirbyteType.OBJECT_WITHOUT_SCHEMA, ValueLimits.NONE);
    try {
      read(coercer, nested(MAX_VALUE_DEPTH + 10, '{'));
      throw new AssertionError("a value deeper than the limit was stored");
    } catch (CoercionFailure failure) {
      assertThat(failure.reason()).isEqualTo(DESTINATION_FIELD_SIZE_LIMITATION);
    }
    assertThat(read(coercer, "{\"a\":[1,{\"b\":2}]}")).isEqualTo("{\"a\":[1,{\"b\":2}]}");
  }

  @Test
  void aStringColumnGivenAnObjectTooDeepRefusesItAsTooLarge() throws Exception {
    assertThat(refusal(AirbyteType.STRING, nested(MAX_VALUE_DEPTH + 1, '['))).isEqualTo(DESTINATION_FIELD_SIZE_LIMITATION);
    assertThat(read(AirbyteType.STRING, nested(3, '['))).isEqualTo("[{\"k\":[1]}]");
  }
}
