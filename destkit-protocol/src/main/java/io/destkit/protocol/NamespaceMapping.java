package io.destkit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The connection's namespace and stream-prefix settings, which the platform applies to the catalog
 * itself on STDIO but leaves to the destination on the socket data channel: it then writes them to
 * the JSON file named by {@value #PATH_VARIABLE}, as {@code namespaceDefinitionType} ({@code
 * source}, {@code destination} or {@code customformat}), {@code namespaceFormat} (with {@code
 * ${SOURCE_NAMESPACE}} standing for the source's namespace) and {@code streamPrefix}.
 *
 * @param format the custom format; only used with {@link Definition#CUSTOM_FORMAT}
 * @param streamPrefix put before every stream name ("" for none)
 */
public record NamespaceMapping(Definition definition, String format, String streamPrefix) {
  public static final String PATH_VARIABLE = "NAMESPACE_MAPPING_CONFIG_PATH";
  private static final String SOURCE_NAMESPACE = "${SOURCE_NAMESPACE}";

  /** Where a stream's namespace comes from. */
  public enum Definition {
    /** The namespace the source gave the stream. */
    SOURCE,
    /** None: the destination's default namespace (its configured schema). */
    DESTINATION,
    /** {@code format}, with the source's namespace put in for {@code ${SOURCE_NAMESPACE}}. */
    CUSTOM_FORMAT
  }

  public NamespaceMapping {
    format = format == null ? "" : format;
    streamPrefix = streamPrefix == null ? "" : streamPrefix;
  }

  /** The mapping in the file the environment names, or empty when {@value #PATH_VARIABLE} is unset or blank. */
  public static Optional<NamespaceMapping> fromEnvironment(Map<String, String> environment) {
    String path = environment.get(PATH_VARIABLE);
    if (path == null || path.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(read(Path.of(path.trim())));
  }

  /**
   * Reads a mapping file.
   *
   * @throws IllegalArgumentException naming the file, and the field at fault, when it cannot be read
   *     or does not hold a known mapping
   */
  public static NamespaceMapping read(Path file) {
    JsonNode json;
    try {
      json = MessageCodec.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the namespace mapping file " + file + " (" + PATH_VARIABLE + "): " + e.getMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException(
          "The namespace mapping file " + file + " (" + PATH_VARIABLE + ") does not hold a JSON object");
    }
    JsonNode type = json.get("namespaceDefinitionType");
    if (type == null || !type.isTextual()) {
      throw new IllegalArgumentException("The namespace mapping file " + file
          + " has no namespaceDefinitionType (source, destination or customformat)");
    }
    Definition definition = switch (type.asText().toLowerCase(Locale.ROOT)) {
      case "source" -> Definition.SOURCE;
      case "destination" -> Definition.DESTINATION;
      case "customformat" -> Definition.CUSTOM_FORMAT;
      default -> throw new IllegalArgumentException("The namespace mapping file " + file
          + " has namespaceDefinitionType '" + type.asText() + "'; expected source, destination or customformat");
    };
    return new NamespaceMapping(definition, text(json, "namespaceFormat", file), text(json, "streamPrefix", file));
  }

  private static String text(JsonNode json, String field, Path file) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(
          "The namespace mapping file " + file + " has a " + field + " that is not a string: " + value.getNodeType());
    }
    return value.asText();
  }

  /** The stream as the destination names it: its namespace mapped, its name prefixed. */
  public StreamDescriptor apply(StreamDescriptor stream) {
    return new StreamDescriptor(namespace(stream.namespace()), streamPrefix + stream.name());
  }

  /** A namespace mapped; null stands for the destination's default namespace. */
  private String namespace(String source) {
    return switch (definition) {
      case SOURCE -> source;
      case DESTINATION -> null;
      case CUSTOM_FORMAT -> {
        String mapped = format.replace(SOURCE_NAMESPACE, source == null ? "" : source);
        yield mapped.isBlank() ? null : mapped;
      }
    };
  }
}
