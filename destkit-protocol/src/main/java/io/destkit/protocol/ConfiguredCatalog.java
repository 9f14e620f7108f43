package io.destkit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/** A configured catalog: the streams a sync writes, in the order given. */
public record ConfiguredCatalog(List<ConfiguredStream> streams) {

  public ConfiguredCatalog {
    streams = List.copyOf(streams);
  }

  /**
   * Reads a {@code ConfiguredAirbyteCatalog}. Fields the protocol added later ({@code generation_id},
   * {@code minimum_generation_id}, {@code sync_id}) default to 0 when absent; unknown fields are ignored.
   */
  public static ConfiguredCatalog fromJson(JsonNode root) {
    JsonNode streamsNode = root.path("streams");
    if (!streamsNode.isArray()) {
      throw new ProtocolException("catalog: 'streams' must be an array");
    }
    List<ConfiguredStream> streams = new ArrayList<>();
    int index = 0;
    for (JsonNode configured : streamsNode) {
      streams.add(readStream(configured, index++));
    }
    return new ConfiguredCatalog(streams);
  }

  private static ConfiguredStream readStream(JsonNode configured, int index) {
    String where = "catalog: streams[" + index + "]";
    JsonNode stream = configured.path("stream");
    if (!stream.isObject()) {
      throw new ProtocolException(where + ": 'stream' must be an object");
    }
    JsonNode nameNode = stream.path("name");
    if (!nameNode.isTextual() || nameNode.asText().isEmpty()) {
      throw new ProtocolException(where + ": 'stream.name' must be a non-empty string");
    }
    String name = nameNode.asText();
    JsonNode namespaceNode = stream.path("namespace");
    String namespace = namespaceNode.isTextual() ? namespaceNode.asText() : null;
    JsonNode schema = stream.path("json_schema");
    if (!schema.isObject()) {
      schema = JsonNodeFactory.instance.objectNode();
    }
    String modeText = configured.path("destination_sync_mode").asText("append");
    DestinationSyncMode mode;
    try {
      mode = DestinationSyncMode.fromWire(modeText);
    } catch (ProtocolException e) {
      throw new ProtocolException(where + " (" + name + "): " + e.getMessage());
    }
    boolean incremental = "incremental".equals(configured.path("sync_mode").asText());
    List<String> cursor = stringList(configured.path("cursor_field"));
    List<List<String>> primaryKey = new ArrayList<>();
    for (JsonNode path : configured.path("primary_key")) {
      primaryKey.add(stringList(path));
    }
    return new ConfiguredStream(
        new StreamDescriptor(namespace, name),
        schema,
        incremental,
        mode,
        cursor,
        primaryKey,
        configured.path("generation_id").asLong(0),
        configured.path("minimum_generation_id").asLong(0),
        configured.path("sync_id").asLong(0));
  }

  private static List<String> stringList(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(element -> out.add(element.asText()));
    } else if (node.isTextual()) {
      out.add(node.asText());
    }
    return out;
  }
}
