package io.destkit.testkit.socket;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a source knows of a property from its JSON schema, as far as the protobuf value case goes:
 * its type and format. Read here on its own terms (not through the destination's type parser), as
 * the platform's source reads its schema: a {@code type} or a WellKnownTypes {@code $ref}; {@code
 * format} and {@code airbyte_type} for strings; {@code "null"} options dropped; whatever else is
 * a union or unknown, sent as JSON.
 */
enum ColumnType {
  BOOLEAN,
  STRING,
  BINARY,
  INTEGER,
  NUMBER,
  DATE,
  TIME_WITH_TIMEZONE,
  TIME_WITHOUT_TIMEZONE,
  TIMESTAMP_WITH_TIMEZONE,
  TIMESTAMP_WITHOUT_TIMEZONE,
  JSON;

  private static final String WELL_KNOWN_PREFIX = "WellKnownTypes.json#/definitions/";

  /** The column type of a property's schema. */
  static ColumnType of(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return JSON;
    }
    JsonNode ref = schema.get("$ref");
    if (ref != null && ref.isTextual()) {
      return ofReference(ref.textValue());
    }
    JsonNode type = schema.get("type");
    if (type != null) {
      List<String> names = new ArrayList<>();
      if (type.isTextual()) {
        names.add(type.textValue());
      } else if (type.isArray()) {
        type.forEach(name -> names.add(name.asText()));
      }
      names.removeIf("null"::equals);
      return names.size() == 1 ? ofName(names.get(0), schema) : JSON;
    }
    for (String combinator : List.of("oneOf", "anyOf")) {
      JsonNode options = schema.get(combinator);
      if (options != null && options.isArray()) {
        List<JsonNode> kept = new ArrayList<>();
        options.forEach(option -> {
          if (!"null".equals(option.path("type").asText())) {
            kept.add(option);
          }
        });
        return kept.size() == 1 ? of(kept.get(0)) : JSON;
      }
    }
    return JSON;
  }

  private static ColumnType ofName(String name, JsonNode schema) {
    String airbyteType = schema.path("airbyte_type").asText("");
    return switch (name) {
      case "boolean" -> BOOLEAN;
      case "integer" -> INTEGER;
      case "number" -> airbyteType.equals("integer") || airbyteType.equals("big_integer") ? INTEGER : NUMBER;
      case "string" -> switch (schema.path("format").asText("")) {
        case "date" -> DATE;
        case "date-time" -> airbyteType.equals("timestamp_without_timezone")
            ? TIMESTAMP_WITHOUT_TIMEZONE
            : TIMESTAMP_WITH_TIMEZONE;
        case "time" -> airbyteType.equals("time_without_timezone") ? TIME_WITHOUT_TIMEZONE : TIME_WITH_TIMEZONE;
        default -> switch (airbyteType) {
          case "big_integer" -> INTEGER;
          case "big_number" -> NUMBER;
          default -> schema.path("contentEncoding").asText("").equals("base64") ? BINARY : STRING;
        };
      };
      default -> JSON;
    };
  }

  private static ColumnType ofReference(String ref) {
    int at = ref.indexOf(WELL_KNOWN_PREFIX);
    if (at < 0) {
      return JSON;
    }
    return switch (ref.substring(at + WELL_KNOWN_PREFIX.length())) {
      case "String" -> STRING;
      case "BinaryData" -> BINARY;
      case "Boolean" -> BOOLEAN;
      case "Integer" -> INTEGER;
      case "Number" -> NUMBER;
      case "Date" -> DATE;
      case "TimeWithTimezone" -> TIME_WITH_TIMEZONE;
      case "TimeWithoutTimezone" -> TIME_WITHOUT_TIMEZONE;
      case "TimestampWithTimezone" -> TIMESTAMP_WITH_TIMEZONE;
      case "TimestampWithoutTimezone" -> TIMESTAMP_WITHOUT_TIMEZONE;
      default -> JSON;
    };
  }
}
