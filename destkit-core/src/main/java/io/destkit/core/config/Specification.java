package io.destkit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.destkit.core.ConfigErrorException;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The config JSON schema shown to users ({@code --spec}) and the validation of a config against it.
 * Every problem is reported by field name; secret values never appear in a message.
 */
public final class Specification {
  private final ObjectNode schema;
  private final JsonSchema validator;

  public Specification(ObjectNode schema) {
    this.schema = schema;
    this.validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
  }

  /** Loads the schema from a classpath resource of the destination. */
  public static Specification fromResource(Class<?> owner, String resource) {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new Specification((ObjectNode) MessageCodec.MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ObjectNode schema() {
    return schema;
  }

  /** Validates a config; lists every problem, each naming its field, sorted. */
  public List<String> problems(JsonNode config) {
    if (config == null || !config.isObject()) {
      return List.of("the config must be a JSON object");
    }
    Set<ValidationMessage> messages = validator.validate(config);
    List<String> oneOfFields = new ArrayList<>();
    for (ValidationMessage message : messages) {
      if ("oneOf".equals(message.getType())) {
        oneOfFields.add(fieldName(message));
      }
    }
    Set<String> problems = new TreeSet<>();
    for (ValidationMessage message : messages) {
      if (!isWithinAny(fieldName(message), oneOfFields)) {
        problems.add(describe(message, ""));
      }
    }
    for (String field : oneOfFields) {
      problems.addAll(explainOneOf(field, config));
    }
    return List.copyOf(problems);
  }

  /**
   * The problems of a value that matches none of its {@code oneOf} options. The validator reports
   * each option's complaints, mostly that the value is not that option; when the options share a
   * discriminator (a property with a {@code const} in each, like {@code mode}), only the problems
   * of the option the value names are reported, or that the discriminator is none of them.
   */
  private List<String> explainOneOf(String field, JsonNode config) {
    JsonNode options = schemaAt(field).path("oneOf");
    JsonNode value = valueAt(config, field);
    String discriminator = discriminator(options);
    if (discriminator == null || !value.isObject()) {
      return List.of("field '" + field + "' matches none of its options: " + titles(options));
    }
    JsonNode chosen = value.get(discriminator);
    List<String> constants = new ArrayList<>();
    for (JsonNode option : options) {
      JsonNode constant = option.path("properties").path(discriminator).path("const");
      constants.add(constant.asText());
      if (constant.equals(chosen)) {
        List<String> problems = new ArrayList<>();
        JsonSchema optionValidator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(option);
        for (ValidationMessage message : optionValidator.validate(value)) {
          problems.add(describe(message, field));
        }
        return problems.isEmpty() ? List.of("field '" + field + "' matches more than one of its options") : problems;
      }
    }
    String path = join(field, discriminator);
    return List.of(chosen == null
        ? "missing required field '" + path + "'"
        : "field '" + path + "' must be one of " + String.join(", ", constants));
  }

  /** The property every option fixes with a {@code const}, or null. */
  private static String discriminator(JsonNode options) {
    if (!options.isArray() || options.isEmpty()) {
      return null;
    }
    Iterator<String> names = options.get(0).path("properties").fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      boolean everyOption = true;
      for (JsonNode option : options) {
        everyOption &= option.path("properties").path(name).has("const");
      }
      if (everyOption) {
        return name;
      }
    }
    return null;
  }

  private static String titles(JsonNode options) {
    List<String> titles = new ArrayList<>();
    for (JsonNode option : options) {
      titles.add(option.path("title").asText("?"));
    }
    return String.join(", ", titles);
  }

  /** The schema of a field given by its dotted path through {@code properties}; missing when there is none. */
  private JsonNode schemaAt(String field) {
    JsonNode node = schema;
    for (String name : field.isEmpty() ? new String[0] : field.split("\\.")) {
      node = node.path("properties").path(name);
    }
    return node;
  }

  private static JsonNode valueAt(JsonNode config, String field) {
    JsonNode node = config;
    for (String name : field.isEmpty() ? new String[0] : field.split("\\.")) {
      node = node.path(name);
    }
    return node;
  }

  private static boolean isWithinAny(String field, List<String> parents) {
    for (String parent : parents) {
      if (field.equals(parent) || field.startsWith(parent + ".")) {
        return true;
      }
    }
    return false;
  }

  /** Validates a config and throws a config error listing every problem. */
  public void validate(JsonNode config) {
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      throw new ConfigErrorException("Invalid config: " + String.join("; ", problems));
    }
  }

  /** @param parent the path of the value the message's location is relative to ("" for the config) */
  private static String describe(ValidationMessage message, String parent) {
    String field = join(parent, fieldName(message));
    String type = message.getType();
    return switch (type) {
      case "required" -> "missing required field '" + join(field, message.getProperty()) + "'";
      case "type" -> "field '" + field + "' " + stripPath(message) ;
      case "additionalProperties" -> "unknown field '" + join(field, message.getProperty()) + "'";
      default -> "field '" + field + "': " + stripPath(message);
    };
  }

  private static String fieldName(ValidationMessage message) {
    String path = message.getInstanceLocation().toString();
    if (path.startsWith("$.")) {
      return path.substring(2);
    }
    if (path.startsWith("$")) {
      return path.substring(1);
    }
    return path;
  }

  private static String join(String parent, String child) {
    if (child == null || child.isEmpty()) {
      return parent;
    }
    return parent.isEmpty() ? child : parent + "." + child;
  }

  /** The validator's text without its leading JSON path, and without the offending value. */
  private static String stripPath(ValidationMessage message) {
    String text = message.getMessage();
    int colon = text.indexOf(": ");
    return colon >= 0 ? text.substring(colon + 2) : text;
  }
}
