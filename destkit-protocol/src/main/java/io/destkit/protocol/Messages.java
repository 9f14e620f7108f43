package io.destkit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the messages a destination prints. */
public final class Messages {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Messages() {}

  /** The kind of failure a TRACE ERROR reports. */
  public enum FailureType {
    CONFIG_ERROR("config_error"),
    SYSTEM_ERROR("system_error"),
    TRANSIENT_ERROR("transient_error");

    private final String wireName;

    FailureType(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** A SPEC message: where the connector's documentation is, its config's schema and its sync modes. */
  public static ObjectNode spec(
      String documentationUrl, JsonNode connectionSpecification, boolean supportsIncremental, String... syncModes) {
    ObjectNode spec = NODES.objectNode();
    spec.put("documentationUrl", documentationUrl);
    spec.set("connectionSpecification", connectionSpecification);
    spec.put("supportsIncremental", supportsIncremental);
    spec.put("supportsNormalization", false);
    spec.put("supportsDBT", false);
    ArrayNode modes = spec.putArray("supported_destination_sync_modes");
    for (String mode : syncModes) {
      modes.add(mode);
    }
    return envelope(MessageType.SPEC, "spec", spec);
  }

  public static ObjectNode connectionStatus(boolean succeeded, String message) {
    ObjectNode status = NODES.objectNode();
    status.put("status", succeeded ? "SUCCEEDED" : "FAILED");
    if (message != null) {
      status.put("message", message);
    }
    return envelope(MessageType.CONNECTION_STATUS, "connectionStatus", status);
  }

  public static ObjectNode log(String level, String message) {
    ObjectNode log = NODES.objectNode();
    log.put("level", level);
    log.put("message", message);
    return envelope(MessageType.LOG, "log", log);
  }

  public static ObjectNode error(FailureType failureType, String message, String internalMessage) {
    ObjectNode error = NODES.objectNode();
    error.put("message", message);
    if (internalMessage != null) {
      error.put("internal_message", internalMessage);
    }
    error.put("failure_type", failureType.wireName());
    ObjectNode trace = NODES.objectNode();
    trace.put("type", "ERROR");
    trace.put("emitted_at", (double) System.currentTimeMillis());
    trace.set("error", error);
    return envelope(MessageType.TRACE, "trace", trace);
  }

  private static ObjectNode envelope(MessageType type, String field, JsonNode body) {
    ObjectNode message = NODES.objectNode();
    message.put("type", type.name());
    message.set(field, body);
    return message;
  }
}
