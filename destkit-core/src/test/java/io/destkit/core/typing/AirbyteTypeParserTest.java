package io.destkit.core.typing;

import static io.destkit.core.typing.Values.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AirbyteTypeParserTest {
  private static final FieldType INTEGER_FIELD = new FieldType(AirbyteType.INTEGER, true);
  private static final FieldType STRING_FIELD = new FieldType(AirbyteType.STRING, true);
  private static final FieldType BOOLEAN_FIELD = new FieldType(AirbyteType.BOOLEAN, true);

  private static AirbyteType parse(String schema) {
    return AirbyteTypeParser.parse(tree(schema));
  }

  private static ObjectType object(Object... nameThenField) {
    LinkedHashMap<String, FieldType> properties = new LinkedHashMap<>();
    for (int i = 0; i < nameThenField.length; i += 2) {
      properties.put((String) nameThenField[i], (FieldType) nameThenField[i + 1]);
    }
    return new ObjectType(properties);
  }

  static Stream<Arguments> simpleSchemas() {
    return Stream.of(
        Arguments.of("{\"type\":\"string\"}", AirbyteType.STRING),
        Arguments.of("{\"type\":\"boolean\"}", AirbyteType.BOOLEAN),
        Arguments.of("{\"type\":\"integer\"}", AirbyteType.INTEGER),
        Arguments.of("{\"type\":\"number\"}", AirbyteType.NUMBER),
        Arguments.of("{\"type\":\"number\",\"airbyte_type\":\"integer\"}", AirbyteType.INTEGER),
        Arguments.of("{\"type\":\"number\",\"airbyte_type\":\"big_integer\"}", AirbyteType.INTEGER),
        Arguments.of("{\"type\":\"number\",\"airbyte_type\":\"big_number\"}", AirbyteType.NUMBER),
        Arguments.of("{\"type\":\"string\",\"airbyte_type\":\"big_number\"}", AirbyteType.NUMBER),
        Arguments.of("{\"type\":\"string\",\"airbyte_type\":\"big_integer\"}", AirbyteType.INTEGER),
        Arguments.of("{\"type\":\"string\",\"format\":\"date\"}", AirbyteType.DATE),
        Arguments.of(
            "{\"type\":\"string\",\"format\":\"date-time\"}", AirbyteType.TIMESTAMP_WITH_TIMEZONE),
        Arguments.of(
            "{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_with_timezone\"}",
            AirbyteType.TIMESTAMP_WITH_TIMEZONE),
        Arguments.of(
            "{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_without_timezone\"}",
            AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE),
        Arguments.of("{\"type\":\"string\",\"format\":\"time\"}", AirbyteType.TIME_WITH_TIMEZONE),
        Arguments.of(
            "{\"type\":\"string\",\"format\":\"time\",\"airbyte_type\":\"time_with_timezone\"}",
            AirbyteType.TIME_WITH_TIMEZONE),
        Arguments.of(
            "{\"type\":\"string\",\"format\":\"time\",\"airbyte_type\":\"time_without_timezone\"}",
            AirbyteType.TIME_WITHOUT_TIMEZONE),
        Arguments.of("{\"type\":\"string\",\"format\":\"email\"}", AirbyteType.STRING),
        Arguments.of("{\"type\":\"string\",\"contentEncoding\":\"base64\"}", AirbyteType.STRING),
        Arguments.of("{\"type\":[\"null\",\"string\"]}", AirbyteType.STRING),
        Arguments.of("{\"type\":[\"string\",\"null\"]}", AirbyteType.STRING),
        Arguments.of("{\"type\":[\"null\",\"integer\"]}", AirbyteType.INTEGER),
        Arguments.of("{\"type\":[\"null\",\"string\"],\"format\":\"date\"}", AirbyteType.DATE),
        Arguments.of("{\"type\":\"object\"}", AirbyteType.OBJECT_WITHOUT_SCHEMA),
        Arguments.of("{\"type\":\"object\",\"properties\":null}", AirbyteType.OBJECT_WITHOUT_SCHEMA),
        Arguments.of("{\"type\":\"object\",\"properties\":{}}", AirbyteType.OBJECT_WITH_EMPTY_SCHEMA),
        Arguments.of("{\"type\":\"array\"}", AirbyteType.ARRAY_WITHOUT_SCHEMA),
        Arguments.of("{\"type\":\"array\",\"items\":[]}", AirbyteType.ARRAY_WITHOUT_SCHEMA),
        Arguments.of("{\"oneOf\":[{\"type\":\"string\"}]}", AirbyteType.STRING),
        Arguments.of("{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"boolean\"}]}", AirbyteType.BOOLEAN),
        Arguments.of("\"string\"", AirbyteType.STRING));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("simpleSchemas")
  void simpleSchemasMapToTheirType(String schema, AirbyteType expected) {
    assertThat(parse(schema)).isEqualTo(expected);
  }

  static Stream<Arguments> wellKnownReferences() {
    return Stream.of(
        Arguments.of("String", AirbyteType.STRING),
        Arguments.of("BinaryData", AirbyteType.STRING),
        Arguments.of("Date", AirbyteType.DATE),
        Arguments.of("TimestampWithTimezone", AirbyteType.TIMESTAMP_WITH_TIMEZONE),
        Arguments.of("TimestampWithoutTimezone", AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE),
        Arguments.of("TimeWithTimezone", AirbyteType.TIME_WITH_TIMEZONE),
        Arguments.of("TimeWithoutTimezone", AirbyteType.TIME_WITHOUT_TIMEZONE),
        Arguments.of("Number", AirbyteType.NUMBER),
        Arguments.of("Integer", AirbyteType.INTEGER),
        Arguments.of("Boolean", AirbyteType.BOOLEAN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wellKnownReferences")
  void wellKnownTypeReferencesMapToTheirType(String definition, AirbyteType expected) {
    String schema = "{\"$ref\":\"WellKnownTypes.json#/definitions/" + definition + "\"}";
    assertThat(parse(schema)).isEqualTo(expected);
  }

  @Test
  void unknownReferencesAreKeptAsUnknown() {
    assertThat(parse("{\"$ref\":\"WellKnownTypes.json#/definitions/Uuid\"}"))
        .isEqualTo(new UnknownType(tree("{\"$ref\":\"WellKnownTypes.json#/definitions/Uuid\"}")));
    assertThat(parse("{\"$ref\":\"#/definitions/Address\"}")).isInstanceOf(UnknownType.class);
  }

  @Test
  void severalNonNullTypesMakeAUnion() {
    assertThat(parse("{\"type\":[\"null\",\"string\",\"integer\"]}"))
        .isEqualTo(new UnionType(List.of(AirbyteType.STRING, AirbyteType.INTEGER)));
  }

  @Test
  void oneOfAndAnyOfMakeUnionsOfTheirOptions() {
    UnionType expected = new UnionType(List.of(AirbyteType.BOOLEAN, AirbyteType.NUMBER));
    assertThat(parse("{\"oneOf\":[{\"type\":\"boolean\"},{\"type\":\"number\"}]}")).isEqualTo(expected);
    assertThat(parse("{\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"number\"}]}")).isEqualTo(expected);
  }

  @Test
  void nestedUnionsAreFlattenedAndDuplicatesMerged() {
    String schema =
        "{\"oneOf\":[{\"type\":[\"string\",\"integer\"]},{\"type\":\"string\"},{\"type\":\"boolean\"}]}";
    assertThat(parse(schema))
        .isEqualTo(new UnionType(List.of(AirbyteType.STRING, AirbyteType.INTEGER, AirbyteType.BOOLEAN)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"description\":\"no type\"}",
        "{\"format\":\"date-time\"}",
        "{\"airbyte_type\":\"integer\"}",
        "{\"allOf\":[{\"type\":\"string\"}]}",
        "{\"type\":\"null\"}",
        "{\"type\":[\"null\"]}",
        "{\"type\":\"uuid\"}",
        "{\"oneOf\":[]}",
        "true",
        "null"
      })
  void schemasWithoutAUsableTypeAreUnknown(String schema) {
    assertThat(parse(schema)).isEqualTo(new UnknownType(tree(schema)));
  }

  @Test
  void theEmptySchemaIsTheUnknownConstant() {
    assertThat(parse("{}")).isEqualTo(AirbyteType.UNKNOWN);
  }

  @Test
  void aMissingSchemaIsUnknownRatherThanAnError() {
    assertThat(AirbyteTypeParser.parse(null)).isInstanceOf(UnknownType.class);
  }

  static Stream<Arguments> malformedSchemas() {
    return Stream.of(
        Arguments.of("{\"type\":\"object\",\"properties\":[1,2]}", "/properties"),
        Arguments.of("{\"type\":\"object\",\"properties\":{\"a\":42,\"b\":\"string\"}}", "/properties/a"),
        Arguments.of("{\"properties\":{\"a/b\":{\"type\":\"array\",\"items\":42}}}", "/properties/a~1b/items"),
        Arguments.of("{\"type\":[\"string\",{\"type\":\"integer\"},7]}", "/type/2"),
        Arguments.of("{\"type\":42}", "/type"),
        Arguments.of("{\"oneOf\":\"string\"}", "/oneOf"),
        Arguments.of("{\"anyOf\":[{\"type\":\"string\"},{\"properties\":{\"x\":[]}}]}", "/anyOf/1/properties/x"),
        Arguments.of("{\"$ref\":42}", "/$ref"),
        Arguments.of("42", ""),
        Arguments.of("[]", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedSchemas")
  void aMalformedSchemaFailsNamingTheJsonPathAtFault(String schema, String path) {
    assertThatThrownBy(() -> parse(schema))
        .isInstanceOfSatisfying(MalformedSchemaException.class, e -> assertThat(e.path()).isEqualTo(path));
  }

  @Test
  void annotationsOfAnOddTypeAndNullItemsAreNoReasonToFail() {
    assertThat(parse("{\"type\":\"string\",\"format\":7,\"airbyte_type\":[1]}")).isEqualTo(AirbyteType.STRING);
    assertThat(parse("{\"type\":\"array\",\"items\":[null,{}]}")).isInstanceOf(ArrayType.class);
  }

  @Test
  void aStreamWithAMalformedSchemaIsAConfigErrorNamingTheStreamAndThePath() {
    assertThatThrownBy(() -> AirbyteTypeParser.parseStream(
            "crm.users", tree("{\"type\":\"object\",\"properties\":{\"age\":{\"type\":7}}}")))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("Stream 'crm.users'")
        .hasMessageContaining("'/properties/age/type'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"type\":\"object\"}", "{\"type\":\"object\",\"properties\":{}}",
      "{\"type\":\"object\",\"properties\":null}", "{\"description\":\"anything\"}", "true"})
  void onlyASchemaThatDeclaresNoPropertiesMakesAStreamSchemaless(String schema) {
    assertThat(AirbyteTypeParser.parseStream("s", tree(schema))).isNotInstanceOf(ObjectType.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"string\"}", "{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}",
      "{\"type\":[\"string\",\"object\"],\"properties\":{\"a\":{}}}",
      "{\"allOf\":[{\"type\":\"object\"}],\"properties\":{\"a\":{\"type\":\"string\"}}}"})
  void aStreamWhoseRootIsNotAnObjectIsAConfigErrorRatherThanSchemaless(String schema) {
    assertThatThrownBy(() -> AirbyteTypeParser.parseStream("s", tree(schema)))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("Stream 's'")
        .hasMessageContaining("root of its json_schema must be an object");
  }

  @Test
  void veryDeepSchemasAreCutOffAsUnknown() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode current = root;
    for (int i = 0; i < 5000; i++) {
      current.put("type", "array");
      current = current.putObject("items");
    }
    current.put("type", "string");
    AirbyteType type = AirbyteTypeParser.parse(root);
    int depth = 0;
    while (type instanceof ArrayType array) {
      type = array.items().type();
      depth++;
    }
    assertThat(type).isInstanceOf(UnknownType.class);
    assertThat(depth).isGreaterThan(100);
  }

  @Test
  void objectPropertiesKeepSchemaOrderAndAreNullable() {
    ObjectType type =
        (ObjectType)
            parse(
                "{\"type\":\"object\",\"properties\":{\"z\":{\"type\":\"string\"},"
                    + "\"a\":{\"type\":\"integer\"},\"m\":{\"type\":[\"null\",\"boolean\"]}}}");
    assertThat(type.properties().keySet()).containsExactly("z", "a", "m");
    assertThat(type.properties().values()).allMatch(FieldType::nullable);
  }

  @Test
  void aSchemaWithPropertiesButNoTypeIsAnObject() {
    assertThat(parse("{\"properties\":{\"data\":{\"type\":\"string\"}}}"))
        .isEqualTo(object("data", STRING_FIELD));
  }

  @Test
  void arraysWithItemsCarryTheItemType() {
    assertThat(parse("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}"))
        .isEqualTo(new ArrayType(INTEGER_FIELD));
    assertThat(parse("{\"type\":\"array\",\"items\":{}}"))
        .isEqualTo(new ArrayType(new FieldType(AirbyteType.UNKNOWN, true)));
  }

  @Test
  void objectTypeKeepsAPrivateCopyOfItsProperties() {
    LinkedHashMap<String, FieldType> properties = new LinkedHashMap<>();
    properties.put("a", STRING_FIELD);
    ObjectType type = new ObjectType(properties);
    properties.put("b", STRING_FIELD);
    assertThat(type.properties()).containsOnlyKeys("a");
  }

  // --- the public Airbyte catalogs ---

  private static Map<String, JsonNode> problematicProperties() {
    JsonNode schema =
        Vectors.json("airbyte/standard_destination_test/problematic_types_configured_catalog.json")
            .get("streams").get(0).get("stream").get("json_schema");
    Map<String, JsonNode> properties = new LinkedHashMap<>();
    schema.get("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue()));
    return properties;
  }

  static Stream<Arguments> problematicTypes() {
    ObjectType idName = object("id", INTEGER_FIELD, "name", STRING_FIELD);
    Map<String, JsonNode> schemas = problematicProperties();
    return Stream.of(
        Arguments.of("schemaless_object", AirbyteType.OBJECT_WITHOUT_SCHEMA),
        Arguments.of("schematized_object", idName),
        Arguments.of("combined_type", new UnionType(List.of(AirbyteType.STRING, AirbyteType.INTEGER))),
        Arguments.of("union_type", new UnionType(List.of(AirbyteType.STRING, AirbyteType.INTEGER))),
        Arguments.of("schemaless_array", AirbyteType.ARRAY_WITHOUT_SCHEMA),
        Arguments.of(
            "mixed_array_integer_and_schemaless_object",
            new ArrayType(
                new FieldType(
                    new UnionType(List.of(AirbyteType.INTEGER, AirbyteType.OBJECT_WITHOUT_SCHEMA)),
                    true))),
        Arguments.of(
            "array_of_union_integer_and_schemaless_array",
            new ArrayType(
                new FieldType(
                    new UnionType(List.of(AirbyteType.INTEGER, AirbyteType.ARRAY_WITHOUT_SCHEMA)),
                    true))),
        Arguments.of("union_of_objects_with_properties_identical", idName),
        Arguments.of(
            "union_of_objects_with_properties_overlapping",
            new UnknownType(schemas.get("union_of_objects_with_properties_overlapping"))),
        Arguments.of(
            "union_of_objects_with_properties_nonoverlapping",
            new UnionType(
                List.of(idName, object("flagged", BOOLEAN_FIELD, "description", STRING_FIELD)))),
        Arguments.of(
            "union_of_objects_with_properties_contradicting",
            new UnionType(List.of(idName, object("id", STRING_FIELD, "name", STRING_FIELD)))),
        Arguments.of("empty_object", AirbyteType.OBJECT_WITH_EMPTY_SCHEMA),
        Arguments.of("object_with_null_properties", AirbyteType.OBJECT_WITHOUT_SCHEMA));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problematicTypes")
  void problematicTypesCatalogFieldsParseAsAirbyteDoes(String field, AirbyteType expected) {
    assertThat(AirbyteTypeParser.parse(problematicProperties().get(field))).isEqualTo(expected);
  }

  @Test
  void problematicTypesCatalogRootIsAnObjectOfAllItsFields() {
    JsonNode schema =
        Vectors.json("airbyte/standard_destination_test/problematic_types_configured_catalog.json")
            .get("streams").get(0).get("stream").get("json_schema");
    ObjectType root = (ObjectType) AirbyteTypeParser.parse(schema);
    assertThat(root.properties().keySet()).containsExactlyElementsOf(problematicProperties().keySet());
    assertThat(problematicTypes()).hasSize(root.properties().size());
  }

  @Test
  void dataTypeBasicCatalogStreamsEachHaveTheirDataType() {
    Map<String, AirbyteType> expected = new LinkedHashMap<>();
    expected.put("string_test_1", AirbyteType.STRING);
    expected.put("date_test_1", AirbyteType.DATE);
    expected.put("datetime_test_1", AirbyteType.TIMESTAMP_WITH_TIMEZONE);
    expected.put("datetime_test_2", AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE);
    expected.put("number_test_1", AirbyteType.NUMBER);
    expected.put("bignumber_test_1", AirbyteType.NUMBER);
    expected.put("integer_test_1", AirbyteType.INTEGER);
    expected.put("boolean_test_1", AirbyteType.BOOLEAN);

    Map<String, AirbyteType> actual = new LinkedHashMap<>();
    for (JsonNode stream :
        Vectors.json("airbyte/standard_destination_test/data_type_basic_test_catalog.json").get("streams")) {
      ObjectType root = (ObjectType) AirbyteTypeParser.parse(stream.get("json_schema"));
      actual.put(stream.get("name").asText(), root.properties().get("data").type());
    }
    assertThat(actual).containsExactlyEntriesOf(expected);
  }

  @Test
  void edgeCaseCatalogStreamsParseToObjectsOfKnownTypes() {
    Map<String, ObjectType> roots = new LinkedHashMap<>();
    for (JsonNode stream : Vectors.json("airbyte/standard_destination_test/edge_case_catalog.json").get("streams")) {
      roots.put(stream.get("name").asText(), (ObjectType) AirbyteTypeParser.parse(stream.get("json_schema")));
    }
    assertThat(roots).hasSize(13);
    assertThat(roots.get("stream-with:spécial:character_names").properties())
        .containsOnlyKeys("field_with_spécial_character");
    assertThat(roots.get("stream_with_binary_data"))
        .isEqualTo(object("some_id", INTEGER_FIELD, "binary_field_name", STRING_FIELD));
    assertThat(roots.get("stream_with_dates"))
        .isEqualTo(
            object(
                "some_date", new FieldType(AirbyteType.DATE, true),
                "some_datetime", new FieldType(AirbyteType.TIMESTAMP_WITH_TIMEZONE, true)));
    assertThat(roots.get("ProperCase")).isEqualTo(object("ProperCase", BOOLEAN_FIELD));
  }

  @Test
  void dedupeTestSchemaParsesToItsColumns() {
    AirbyteType root = AirbyteTypeParser.parse(Vectors.json("airbyte/typing_deduping/dat/schema.json"));
    FieldType timestamp = new FieldType(AirbyteType.TIMESTAMP_WITH_TIMEZONE, true);
    assertThat(root)
        .isEqualTo(
            object(
                "id1", INTEGER_FIELD,
                "id2", INTEGER_FIELD,
                "updated_at", timestamp,
                "_ab_cdc_deleted_at", timestamp,
                "name", STRING_FIELD,
                "address", new FieldType(object("city", STRING_FIELD, "state", STRING_FIELD), true),
                "age", INTEGER_FIELD,
                "registration_date", new FieldType(AirbyteType.DATE, true)));
    assertThat(((ObjectType) root).properties().keySet())
        .containsExactly(
            "id1", "id2", "updated_at", "_ab_cdc_deleted_at", "name", "address", "age", "registration_date");
  }
}
