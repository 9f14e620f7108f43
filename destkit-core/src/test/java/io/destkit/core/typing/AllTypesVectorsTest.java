package io.destkit.core.typing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Airbyte's all-types fixture read the way the pipeline reads it: the record's data object is
 * streamed field by field into one coercer per column.
 */
class AllTypesVectorsTest {
  private static final String DIR = "airbyte/typing_deduping/sqlgenerator/";

  /** The all-types stream of Airbyte's SQL generator tests. */
  private static final String SCHEMA =
      """
      {"type": "object", "properties": {
        "id1": {"type": "integer"},
        "id2": {"type": "integer"},
        "updated_at": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
        "_ab_cdc_deleted_at": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
        "struct": {"type": "object", "properties": {}},
        "array": {"type": "array", "items": {}},
        "string": {"type": "string"},
        "number": {"type": "number"},
        "integer": {"type": "integer"},
        "boolean": {"type": "boolean"},
        "timestamp_with_timezone": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
        "timestamp_without_timezone": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_without_timezone"},
        "time_with_timezone": {"type": "string", "format": "time", "airbyte_type": "time_with_timezone"},
        "time_without_timezone": {"type": "string", "format": "time", "airbyte_type": "time_without_timezone"},
        "date": {"type": "string", "format": "date"},
        "unknown": {}
      }}
      """;

  private final Map<String, AirbyteType> types = new LinkedHashMap<>();
  private final Map<String, ValueCoercer> coercers = new HashMap<>();

  AllTypesVectorsTest() {
    ObjectType schema = (ObjectType) AirbyteTypeParser.parse(Values.tree(SCHEMA));
    schema.properties().forEach((name, field) -> {
      types.put(name, field.type());
      coercers.put(name, Coercers.forType(field.type(), ValueLimits.NONE));
    });
  }

  /** A field's outcome: its value, or the reason it was refused. */
  private record Outcome(Object value, ChangeReason refused) {}

  private Map<String, Outcome> coerceData(String line) throws IOException {
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    try (JsonParser parser = Values.JSON.createParser(line.getBytes(StandardCharsets.UTF_8))) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (!name.equals("_airbyte_data")) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          parser.nextToken();
          if (parser.currentToken() == JsonToken.VALUE_NULL) {
            outcomes.put(field, new Outcome(null, null));
            continue;
          }
          try {
            outcomes.put(field, new Outcome(coercers.get(field).read(parser), null));
          } catch (CoercionFailure failure) {
            outcomes.put(field, new Outcome(null, failure.reason()));
          }
        }
      }
    }
    return outcomes;
  }

  @ParameterizedTest(name = "row id1={0}")
  @ValueSource(ints = {1, 4, 5})
  void allTypesRowsCoerceToTheExpectedFinalValues(int id1) throws Exception {
    String input =
        Vectors.lines(DIR + "alltypes_inputrecords.jsonl").stream()
            .filter(line -> Values.tree(line).at("/_airbyte_data/id1").asInt() == id1)
            .findFirst()
            .orElseThrow();
    JsonNode expected =
        Vectors.find(Vectors.jsonl(DIR + "alltypes_expectedrecords_final.jsonl"), "id1", "" + id1);
    Set<String> typecastErrors = new HashSet<>();
    for (JsonNode change : expected.at("/_airbyte_meta/changes")) {
      if (change.get("reason").asText().equals("DESTINATION_TYPECAST_ERROR")) {
        typecastErrors.add(change.get("field").asText());
      }
    }

    Map<String, Outcome> outcomes = coerceData(input);
    assertThat(outcomes).isNotEmpty();
    for (Map.Entry<String, Outcome> entry : outcomes.entrySet()) {
      String field = entry.getKey();
      Outcome outcome = entry.getValue();
      if (typecastErrors.contains(field)) {
        assertThat(outcome.refused()).as(field).isEqualTo(ChangeReason.DESTINATION_SERIALIZATION_ERROR);
      } else if (outcome.value() == null) {
        assertThat(outcome.refused()).as(field).isNull();
        assertThat(expected.path(field).isMissingNode() || expected.get(field).isNull()).as(field).isTrue();
      } else {
        assertMatches(types.get(field), outcome.value(), expected.get(field), field);
      }
    }
    assertThat(outcomes.keySet()).containsAll(typecastErrors);
  }

  private static void assertMatches(AirbyteType type, Object actual, JsonNode expected, String field)
      throws IOException {
    if (type instanceof IntegerType) {
      assertThat(actual).as(field).isEqualTo(expected.longValue());
    } else if (type instanceof NumberType) {
      assertThat((BigDecimal) actual).as(field).isEqualTo(expected.decimalValue());
    } else if (type instanceof BooleanType) {
      assertThat(actual).as(field).isEqualTo(expected.booleanValue());
    } else if (type instanceof StringType) {
      assertThat(actual).as(field).isEqualTo(expected.textValue());
    } else if (actual instanceof String json) {
      // JSON columns: same structure, numbers to the last digit (the mapper reads BigDecimal).
      assertThat(json).as(field).isEqualTo(Vectors.MAPPER.writeValueAsString(expected));
    } else {
      assertThat(actual).as(field).isEqualTo(TemporalCoercionTest.expectedValue(type, expected));
    }
  }

  @Test
  void floatPrecisionIsKeptExactlyInNumberAndJsonColumns() throws Exception {
    String input =
        Vectors.lines(DIR + "alltypes_inputrecords.jsonl").stream()
            .filter(line -> line.contains("67.174118"))
            .findFirst()
            .orElseThrow();
    Map<String, Outcome> outcomes = coerceData(input);
    assertThat(outcomes.get("number").value()).isEqualTo(new BigDecimal("67.174118"));
    assertThat(outcomes.get("struct").value()).isEqualTo("{\"nested_number\":67.174118}");
    assertThat(outcomes.get("array").value()).isEqualTo("[67.174118]");
    assertThat(outcomes.get("unknown").value()).isEqualTo("67.174118");
  }

  @Test
  void theFixtureSchemaHasEveryColumnOfTheExpectedRows() {
    List<JsonNode> expected = Vectors.jsonl(DIR + "alltypes_expectedrecords_final.jsonl");
    for (JsonNode row : expected) {
      for (Map.Entry<String, JsonNode> column : row.properties()) {
        if (!column.getKey().startsWith("_airbyte")) {
          assertThat(types).containsKey(column.getKey());
        }
      }
    }
  }
}
