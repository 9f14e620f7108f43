package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import java.util.List;

/**
 * The standard input of one {@code --write}: protocol messages as JSON lines, built in the order a
 * source would send them.
 */
public final class SyncInput {
  private final StringBuilder lines = new StringBuilder();

  /**
   * Adds messages of one stream as given, RECORD messages labelled with the stream (fixture
   * messages lack {@code stream} and {@code namespace}).
   */
  public SyncInput messages(StreamDescriptor stream, List<? extends JsonNode> messages) {
    for (JsonNode message : messages) {
      ObjectNode copy = message.deepCopy();
      if ("RECORD".equals(copy.path("type").asText())) {
        label((ObjectNode) copy.get("record"), stream);
      }
      add(copy);
    }
    return this;
  }

  /** Adds one RECORD of the stream. */
  public SyncInput record(StreamDescriptor stream, long emittedAtMillis, JsonNode data) {
    ObjectNode message = MessageCodec.MAPPER.createObjectNode().put("type", "RECORD");
    ObjectNode record = message.putObject("record");
    label(record, stream);
    record.put("emitted_at", emittedAtMillis);
    record.set("data", data);
    return add(message);
  }

  /** Adds a GLOBAL state (as a CDC source sends: one state for every stream). */
  public SyncInput globalState(JsonNode sharedState) {
    ObjectNode message = MessageCodec.MAPPER.createObjectNode().put("type", "STATE");
    ObjectNode global = message.putObject("state").put("type", "GLOBAL").putObject("global");
    global.set("shared_state", sharedState);
    global.putArray("stream_states");
    return add(message);
  }

  /** Adds a STREAM state of the stream. */
  public SyncInput state(StreamDescriptor stream, JsonNode streamState) {
    ObjectNode message = MessageCodec.MAPPER.createObjectNode().put("type", "STATE");
    ObjectNode state = message.putObject("state").put("type", "STREAM");
    ObjectNode body = state.putObject("stream");
    descriptor(body.putObject("stream_descriptor"), stream);
    body.set("stream_state", streamState);
    return add(message);
  }

  /** Adds a {@code STREAM_STATUS} trace (COMPLETE, INCOMPLETE, ...) for each stream. */
  public SyncInput status(String status, StreamDescriptor... streams) {
    for (StreamDescriptor stream : streams) {
      ObjectNode message = MessageCodec.MAPPER.createObjectNode().put("type", "TRACE");
      ObjectNode trace = message.putObject("trace").put("type", "STREAM_STATUS").put("emitted_at", 1);
      ObjectNode body = trace.putObject("stream_status");
      descriptor(body.putObject("stream_descriptor"), stream);
      body.put("status", status);
      add(message);
    }
    return this;
  }

  /** Adds {@code STREAM_STATUS COMPLETE} for each stream. */
  public SyncInput complete(StreamDescriptor... streams) {
    return status("COMPLETE", streams);
  }

  /** The input as JSON lines. */
  public String text() {
    return lines.toString();
  }

  private SyncInput add(JsonNode message) {
    lines.append(MessageCodec.encode(message)).append('\n');
    return this;
  }

  private static void label(ObjectNode record, StreamDescriptor stream) {
    record.put("stream", stream.name());
    if (stream.namespace() != null) {
      record.put("namespace", stream.namespace());
    } else {
      record.remove("namespace");
    }
  }

  private static void descriptor(ObjectNode target, StreamDescriptor stream) {
    target.put("name", stream.name());
    if (stream.namespace() != null) {
      target.put("namespace", stream.namespace());
    }
  }
}
