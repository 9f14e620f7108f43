package io.destkit.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;

/** The STREAM_STATUS messages the platform sends a destination. */
final class StreamStatuses {
  private StreamStatuses() {
  }

  /** TRACE STREAM_STATUS COMPLETE for a stream. */
  static ObjectNode complete(StreamDescriptor stream) {
    ObjectNode message = MessageCodec.MAPPER.createObjectNode();
    message.put("type", "TRACE");
    ObjectNode trace = message.putObject("trace");
    trace.put("type", "STREAM_STATUS");
    trace.put("emitted_at", (double) System.currentTimeMillis());
    ObjectNode status = trace.putObject("stream_status");
    status.set("stream_descriptor", descriptorJson(stream));
    status.put("status", "COMPLETE");
    return message;
  }

  static ObjectNode descriptorJson(StreamDescriptor stream) {
    ObjectNode descriptor = MessageCodec.MAPPER.createObjectNode();
    descriptor.put("name", stream.name());
    if (stream.namespace() != null) {
      descriptor.put("namespace", stream.namespace());
    }
    return descriptor;
  }

  static StreamDescriptor descriptor(JsonNode json) {
    JsonNode namespace = json.get("namespace");
    return new StreamDescriptor(namespace == null || namespace.isNull() ? null : namespace.asText(),
        json.path("name").asText());
  }
}
