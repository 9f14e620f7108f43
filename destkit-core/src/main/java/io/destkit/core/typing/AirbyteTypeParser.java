package io.destkit.core.typing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a stream's JSON schema into an {@link AirbyteType}, following the Airbyte protocol and the
 * Dataflow CDK. Never throws: whatever it does not understand becomes an {@link UnknownType}.
 *
 * <p>Beyond the CDK: a schema without {@code type} but with a {@code properties} object is read
 * as an object (stream schemas in the wild omit {@code type: object}); {@code allOf} is not
 * merged but gives an {@link UnknownType}; a string with {@code airbyte_type: big_integer} or
 * {@code big_number} (protocol v0) is an integer or a number; identical union options are merged.
 */
public final class AirbyteTypeParser {
  private static final String WELL_KNOWN_PREFIX = "WellKnownTypes.json#/definitions/";
  /** Deeper schemas are not worth a stack overflow; they are kept as JSON. */
  private static final int MAX_DEPTH = 500;

  private AirbyteTypeParser() {}

  public static AirbyteType parse(JsonNode schema) {
    try {
      AirbyteType type = convert(schema, 0);
      return type != null ? type : new UnknownType(schema);
    } catch (RuntimeException e) {
      return new UnknownType(schema);
    }
  }

  /** Returns null for the JSON schema type {@code null}, which only matters inside a union. */
  private static AirbyteType convert(JsonNode schema, int depth) {
    if (schema == null || depth > MAX_DEPTH) {
      return new UnknownType(schema);
    }
    if (schema.isTextual()) {
      return fromTypeName(schema.textValue(), schema, depth);
    }
    if (!schema.isObject()) {
      return new UnknownType(schema);
    }
    JsonNode ref = schema.get("$ref");
    if (ref != null && ref.isTextual()) {
      return fromReference(ref.textValue(), schema);
    }
    JsonNode type = schema.get("type");
    if (type != null) {
      if (type.isTextual()) {
        return fromTypeName(type.textValue(), schema, depth);
      }
      if (type.isArray()) {
        List<AirbyteType> options = new ArrayList<>();
        for (JsonNode option : type) {
          // ["null", "string"] with a format: each name is read with the rest of its schema.
          options.add(
              option.isTextual()
                  ? fromTypeName(option.textValue(), schema, depth)
                  : convert(option, depth + 1));
        }
        return unionOf(options);
      }
      return new UnknownType(schema);
    }
    JsonNode options = schema.get("oneOf");
    if (options == null) {
      options = schema.get("anyOf");
    }
    if (options != null) {
      if (!options.isArray()) {
        return new UnknownType(schema);
      }
      List<AirbyteType> converted = new ArrayList<>();
      for (JsonNode option : options) {
        converted.add(convert(option, depth + 1));
      }
      AirbyteType union = unionOf(converted);
      return union != null ? union : new UnknownType(schema);
    }
    JsonNode properties = schema.get("properties");
    if (!schema.has("allOf") && properties != null && properties.isObject()) {
      return fromObject(schema, depth);
    }
    return new UnknownType(schema);
  }

  private static AirbyteType fromTypeName(String name, JsonNode schema, int depth) {
    switch (name) {
      case "string":
        return fromString(schema);
      case "boolean":
        return AirbyteType.BOOLEAN;
      case "integer":
      case "int":
        return AirbyteType.INTEGER;
      case "number":
        String airbyteType = text(schema, "airbyte_type");
        return "integer".equals(airbyteType) || "big_integer".equals(airbyteType)
            ? AirbyteType.INTEGER
            : AirbyteType.NUMBER;
      case "array":
        return fromArray(schema, depth);
      case "object":
        return fromObject(schema, depth);
      case "null":
        return null;
      default:
        return new UnknownType(schema);
    }
  }

  private static AirbyteType fromString(JsonNode schema) {
    String format = text(schema, "format");
    String airbyteType = text(schema, "airbyte_type");
    if ("date".equals(format)) {
      return AirbyteType.DATE;
    }
    if ("date-time".equals(format)) {
      return "timestamp_without_timezone".equals(airbyteType)
          ? AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE
          : AirbyteType.TIMESTAMP_WITH_TIMEZONE;
    }
    if ("time".equals(format)) {
      return "time_without_timezone".equals(airbyteType)
          ? AirbyteType.TIME_WITHOUT_TIMEZONE
          : AirbyteType.TIME_WITH_TIMEZONE;
    }
    if ("big_integer".equals(airbyteType)) {
      return AirbyteType.INTEGER;
    }
    if ("big_number".equals(airbyteType)) {
      return AirbyteType.NUMBER;
    }
    return AirbyteType.STRING;
  }

  private static AirbyteType fromReference(String ref, JsonNode schema) {
    int at = ref.indexOf(WELL_KNOWN_PREFIX);
    if (at < 0) {
      return new UnknownType(schema);
    }
    switch (ref.substring(at + WELL_KNOWN_PREFIX.length())) {
      case "String":
      case "BinaryData":
        return AirbyteType.STRING;
      case "Date":
        return AirbyteType.DATE;
      case "TimestampWithTimezone":
        return AirbyteType.TIMESTAMP_WITH_TIMEZONE;
      case "TimestampWithoutTimezone":
        return AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE;
      case "TimeWithTimezone":
        return AirbyteType.TIME_WITH_TIMEZONE;
      case "TimeWithoutTimezone":
        return AirbyteType.TIME_WITHOUT_TIMEZONE;
      case "Number":
        return AirbyteType.NUMBER;
      case "Integer":
        return AirbyteType.INTEGER;
      case "Boolean":
        return AirbyteType.BOOLEAN;
      default:
        return new UnknownType(schema);
    }
  }

  private static AirbyteType fromArray(JsonNode schema, int depth) {
    JsonNode items = schema.get("items");
    if (items == null || items.isNull()) {
      return AirbyteType.ARRAY_WITHOUT_SCHEMA;
    }
    if (items.isArray()) {
      // Tuple validation: the items may be any of the listed schemas.
      if (items.isEmpty()) {
        return AirbyteType.ARRAY_WITHOUT_SCHEMA;
      }
      List<AirbyteType> options = new ArrayList<>();
      for (JsonNode item : items) {
        options.add(convert(item, depth + 1));
      }
      AirbyteType union = unionOf(options);
      return new ArrayType(new FieldType(union != null ? union : new UnknownType(items), true));
    }
    return new ArrayType(field(items, depth + 1));
  }

  private static AirbyteType fromObject(JsonNode schema, int depth) {
    JsonNode properties = schema.get("properties");
    if (properties == null || !properties.isObject()) {
      return AirbyteType.OBJECT_WITHOUT_SCHEMA;
    }
    if (properties.isEmpty()) {
      return AirbyteType.OBJECT_WITH_EMPTY_SCHEMA;
    }
    LinkedHashMap<String, FieldType> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> property : ((ObjectNode) properties).properties()) {
      fields.put(property.getKey(), field(property.getValue(), depth + 1));
    }
    return new ObjectType(fields);
  }

  private static FieldType field(JsonNode schema, int depth) {
    AirbyteType type = convert(schema, depth);
    return new FieldType(type != null ? type : new UnknownType(schema), true);
  }

  /**
   * Drops null options (a field is nullable anyway), flattens nested unions and merges equal
   * options. Returns null when no option is left, the single option when one is left.
   */
  private static AirbyteType unionOf(List<AirbyteType> options) {
    Set<AirbyteType> distinct = new LinkedHashSet<>();
    for (AirbyteType option : options) {
      if (option instanceof UnionType union) {
        distinct.addAll(union.options());
      } else if (option != null) {
        distinct.add(option);
      }
    }
    if (distinct.isEmpty()) {
      return null;
    }
    if (distinct.size() == 1) {
      return distinct.iterator().next();
    }
    return new UnionType(new ArrayList<>(distinct));
  }

  private static String text(JsonNode schema, String field) {
    JsonNode value = schema.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}
