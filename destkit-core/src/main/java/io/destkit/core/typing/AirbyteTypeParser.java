package io.destkit.core.typing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a stream's JSON schema into an {@link AirbyteType}, following the Airbyte protocol and the
 * Dataflow CDK. A type it does not know (an unknown type name or reference, {@code allOf}) becomes
 * an {@link UnknownType}, kept as JSON; a schema that is not a JSON schema at all (a {@code type}
 * that is a number, {@code properties} that are a list, a property whose schema is a number) is a
 * {@link MalformedSchemaException} naming the JSON path at fault.
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

  /**
   * The type of a JSON schema.
   *
   * @throws MalformedSchemaException when the schema, or one nested in it, is not a JSON schema
   */
  public static AirbyteType parse(JsonNode schema) {
    AirbyteType type = convert(schema, 0, "");
    return type != null ? type : new UnknownType(schema);
  }

  /**
   * The root type of a stream's schema: an object with its properties, or, for a schema that
   * declares no properties at all, a type that makes the stream schemaless (its records kept whole
   * as JSON). Anything else is a config error naming the stream and the JSON path at fault.
   */
  public static AirbyteType parseStream(String stream, JsonNode schema) {
    AirbyteType root;
    try {
      root = parse(schema);
    } catch (MalformedSchemaException e) {
      throw new ConfigErrorException(
          "Stream '" + stream + "': its json_schema is malformed at " + e.where() + ": " + e.problem()
              + ". Fix the stream's schema in the catalog.", e);
    }
    if (root instanceof ObjectType || root instanceof ObjectTypeWithoutSchema || root instanceof ObjectTypeWithEmptySchema) {
      return root;
    }
    if (root instanceof UnknownType && !declaresProperties(schema)) {
      return root;
    }
    throw new ConfigErrorException(
        "Stream '" + stream + "': the root of its json_schema must be an object (\"type\": \"object\" with its"
            + " \"properties\"), but it reads as " + describe(root) + ". Fix the stream's schema in the catalog.");
  }

  private static boolean declaresProperties(JsonNode schema) {
    JsonNode properties = schema == null ? null : schema.get("properties");
    return properties != null && properties.isObject() && !properties.isEmpty();
  }

  private static String describe(AirbyteType type) {
    if (type instanceof UnknownType) {
      return "a schema of an unsupported kind (allOf, or properties beside an unknown type)";
    }
    if (type instanceof UnionType) {
      return "a union of several types";
    }
    return "a " + type.getClass().getSimpleName().replace("Type", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** Returns null for the JSON schema type {@code null}, which only matters inside a union. */
  private static AirbyteType convert(JsonNode schema, int depth, String path) {
    if (schema == null || schema.isNull() || schema.isBoolean() || depth > MAX_DEPTH) {
      // No schema, or true/false (JSON schema's "anything"/"nothing"): no type to read.
      return new UnknownType(schema);
    }
    if (schema.isTextual()) {
      return fromTypeName(schema.textValue(), schema, depth, path);
    }
    if (!schema.isObject()) {
      throw new MalformedSchemaException(path, "a schema must be an object, not " + kind(schema));
    }
    JsonNode ref = schema.get("$ref");
    if (ref != null) {
      if (!ref.isTextual()) {
        throw new MalformedSchemaException(path + "/$ref", "\"$ref\" must be a string, not " + kind(ref));
      }
      return fromReference(ref.textValue(), schema);
    }
    JsonNode type = schema.get("type");
    if (type != null) {
      if (type.isTextual()) {
        return fromTypeName(type.textValue(), schema, depth, path);
      }
      if (type.isArray()) {
        List<AirbyteType> options = new ArrayList<>();
        for (int i = 0; i < type.size(); i++) {
          JsonNode option = type.get(i);
          // ["null", "string"] with a format: each name is read with the rest of its schema.
          if (option.isTextual()) {
            options.add(fromTypeName(option.textValue(), schema, depth, path));
          } else if (option.isObject()) {
            options.add(convert(option, depth + 1, path + "/type/" + i));
          } else {
            throw new MalformedSchemaException(
                path + "/type/" + i, "a \"type\" list holds type names, not " + kind(option));
          }
        }
        return unionOf(options);
      }
      throw new MalformedSchemaException(
          path + "/type", "\"type\" must be a type name or a list of them, not " + kind(type));
    }
    String combinator = schema.has("oneOf") ? "oneOf" : schema.has("anyOf") ? "anyOf" : null;
    if (combinator != null) {
      JsonNode options = schema.get(combinator);
      if (!options.isArray()) {
        throw new MalformedSchemaException(
            path + "/" + combinator, "\"" + combinator + "\" must be a list of schemas, not " + kind(options));
      }
      List<AirbyteType> converted = new ArrayList<>();
      for (int i = 0; i < options.size(); i++) {
        converted.add(convert(options.get(i), depth + 1, path + "/" + combinator + "/" + i));
      }
      AirbyteType union = unionOf(converted);
      return union != null ? union : new UnknownType(schema);
    }
    JsonNode properties = schema.get("properties");
    if (!schema.has("allOf") && properties != null && !properties.isNull()) {
      return fromObject(schema, depth, path);
    }
    return new UnknownType(schema);
  }

  private static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number (" + value.asText() + ")";
      case BOOLEAN -> "a boolean";
      default -> "null";
    };
  }

  /** A JSON Pointer token: "~" and "/" escaped (RFC 6901), so every property name gives one path. */
  private static String token(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static AirbyteType fromTypeName(String name, JsonNode schema, int depth, String path) {
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
        return fromArray(schema, depth, path);
      case "object":
        return fromObject(schema, depth, path);
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

  private static AirbyteType fromArray(JsonNode schema, int depth, String path) {
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
      for (int i = 0; i < items.size(); i++) {
        options.add(convert(items.get(i), depth + 1, path + "/items/" + i));
      }
      AirbyteType union = unionOf(options);
      return new ArrayType(new FieldType(union != null ? union : new UnknownType(items), true));
    }
    return new ArrayType(field(items, depth + 1, path + "/items"));
  }

  private static AirbyteType fromObject(JsonNode schema, int depth, String path) {
    JsonNode properties = schema.get("properties");
    if (properties == null || properties.isNull()) {
      return AirbyteType.OBJECT_WITHOUT_SCHEMA;
    }
    if (!properties.isObject()) {
      throw new MalformedSchemaException(
          path + "/properties", "\"properties\" must be an object of field schemas, not " + kind(properties));
    }
    if (properties.isEmpty()) {
      return AirbyteType.OBJECT_WITH_EMPTY_SCHEMA;
    }
    LinkedHashMap<String, FieldType> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> property : ((ObjectNode) properties).properties()) {
      fields.put(
          property.getKey(), field(property.getValue(), depth + 1, path + "/properties/" + token(property.getKey())));
    }
    return new ObjectType(fields);
  }

  private static FieldType field(JsonNode schema, int depth, String path) {
    AirbyteType type = convert(schema, depth, path);
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
