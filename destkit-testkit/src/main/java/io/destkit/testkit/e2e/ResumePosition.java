package io.destkit.testkit.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the next attempt of a sync starts: per stream, the records the last STATE the destination
 * emitted for it covers (a STREAM state moves its own stream; a GLOBAL state moves every stream).
 * A stream no emitted state mentions starts from its first record. This is what a platform keeps
 * between attempts.
 */
public record ResumePosition(Map<String, Long> positions) {
  public static final ResumePosition START = new ResumePosition(Map.of());

  public ResumePosition {
    positions = Map.copyOf(positions);
  }

  /** The records of {@code stream} an earlier attempt's emitted states cover. */
  public long of(String stream) {
    return positions.getOrDefault(stream, 0L);
  }

  /** This position moved by the STATE messages a destination emitted, in the order it emitted them. */
  public ResumePosition after(List<ObjectNode> emittedStates) {
    Map<String, Long> moved = new LinkedHashMap<>(positions);
    for (ObjectNode message : emittedStates) {
      JsonNode state = message.path("state");
      switch (state.path("type").asText()) {
        case "STREAM" -> put(moved, state.path("stream"), message);
        case "GLOBAL" -> {
          for (JsonNode streamState : state.path("global").path("stream_states")) {
            put(moved, streamState, message);
          }
        }
        default -> throw new AssertionError("a state the source never sends: " + MessageCodec.encode(message));
      }
    }
    return new ResumePosition(moved);
  }

  private static void put(Map<String, Long> positions, JsonNode streamState, ObjectNode message) {
    String name = streamState.path("stream_descriptor").path("name").asText(null);
    JsonNode position = streamState.path("stream_state").path("position");
    if (name == null || !position.canConvertToLong()) {
      throw new AssertionError("an emitted state without stream name and position: " + MessageCodec.encode(message));
    }
    long previous = positions.getOrDefault(name, 0L);
    if (position.asLong() < previous) {
      throw new AssertionError("stream " + name + ": an emitted state goes back from position " + previous
          + " to " + position.asLong() + ": " + MessageCodec.encode(message));
    }
    positions.put(name, position.asLong());
  }

  @Override
  public String toString() {
    return positions.isEmpty() ? "the start" : positions.toString();
  }
}
