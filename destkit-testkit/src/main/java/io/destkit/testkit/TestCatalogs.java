package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;

/** Configured catalogs for tests, read through the same code a {@code --write} uses. */
public final class TestCatalogs {
  private TestCatalogs() {}

  /**
   * A configured stream: incremental append, generation 0, minimum generation 0, sync id 0. Change
   * what a test needs with {@code put}, e.g. {@code .put("minimum_generation_id", 3)}.
   *
   * @param namespace the stream's namespace, or null for the destination's default
   */
  public static ObjectNode stream(String namespace, String name, JsonNode jsonSchema) {
    ObjectNode stream = MessageCodec.MAPPER.createObjectNode();
    stream.put("name", name);
    if (namespace != null) {
      stream.put("namespace", namespace);
    }
    stream.set("json_schema", jsonSchema);
    stream.putArray("supported_sync_modes").add("full_refresh").add("incremental");
    return configure(stream);
  }

  /** Wraps each stream of an {@code AirbyteCatalog} as an incremental append stream. */
  public static ObjectNode configureAll(JsonNode airbyteCatalog) {
    ObjectNode configured = MessageCodec.MAPPER.createObjectNode();
    ArrayNode streams = configured.putArray("streams");
    for (JsonNode stream : airbyteCatalog.path("streams")) {
      streams.add(configure(stream));
    }
    return configured;
  }

  /** A {@code ConfiguredAirbyteCatalog} of these configured streams. */
  public static ObjectNode catalog(JsonNode... configuredStreams) {
    ObjectNode catalog = MessageCodec.MAPPER.createObjectNode();
    ArrayNode streams = catalog.putArray("streams");
    for (JsonNode stream : configuredStreams) {
      streams.add(stream);
    }
    return catalog;
  }

  /** Reads a {@code ConfiguredAirbyteCatalog} as the runner does. */
  public static DestinationCatalog destinationCatalog(JsonNode configuredCatalog) {
    return DestinationCatalog.from(ConfiguredCatalog.fromJson(configuredCatalog));
  }

  private static ObjectNode configure(JsonNode stream) {
    ObjectNode configured = MessageCodec.MAPPER.createObjectNode();
    configured.set("stream", stream);
    configured.put("sync_mode", "incremental");
    configured.put("destination_sync_mode", "append");
    configured.put("generation_id", 0);
    configured.put("minimum_generation_id", 0);
    configured.put("sync_id", 0);
    return configured;
  }
}
