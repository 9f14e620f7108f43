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
    Set<String> problems = new TreeSet<>();
    for (ValidationMessage message : messages) {
      problems.add(describe(message));
    }
    return List.copyOf(problems);
  }

  /** Validates a config and throws a config error listing every problem. */
  public void validate(JsonNode config) {
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      throw new ConfigErrorException("Invalid config: " + String.join("; ", problems));
    }
  }

  private static String describe(ValidationMessage message) {
    String field = fieldName(message);
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
    if (child == null) {
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
