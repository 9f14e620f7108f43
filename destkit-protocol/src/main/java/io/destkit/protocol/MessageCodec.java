package io.destkit.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads and writes Airbyte messages as single-line JSON (JSONL). */
public final class MessageCodec {

  /** Shared, thread-safe mapper; lifts Jackson's default limits, which real records exceed. */
  public static final ObjectMapper MAPPER = createMapper();

  private MessageCodec() {}

  private static ObjectMapper createMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(100_000)
                    .maxNestingDepth(10_000)
                    .build())
            .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    // Keep decimals exactly as written (1.10 stays 1.10), so a STATE is echoed unchanged.
    mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    return mapper;
  }

  public static JsonFactory jsonFactory() {
    return MAPPER.getFactory();
  }

  /**
   * Decodes one line holding one message.
   *
   * @throws ProtocolException when the line is not one JSON object with a known {@code type}
   */
  public static ProtocolMessage decode(byte[] buffer, int offset, int length) {
    JsonNode node;
    try (JsonParser parser = MAPPER.getFactory().createParser(buffer, offset, length)) {
      node = MAPPER.readTree(parser);
      if (node != null && parser.nextToken() != null) {
        throw new ProtocolException("more than one JSON value on the line");
      }
    } catch (JsonProcessingException e) {
      throw new ProtocolException("not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ProtocolException("unreadable: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new ProtocolException("a message must be a JSON object");
    }
    JsonNode typeNode = node.get("type");
    MessageType type = typeNode == null ? null : MessageType.fromWire(typeNode.asText());
    if (type == null) {
      throw new ProtocolException(
          typeNode == null ? "message has no 'type'" : "unknown message type '" + typeNode.asText() + "'");
    }
    return new ProtocolMessage(type, (ObjectNode) node);
  }

  public static ProtocolMessage decode(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return decode(bytes, 0, bytes.length);
  }

  /** Encodes a message as one line of JSON, without the line terminator. */
  public static String encode(JsonNode message) {
    try {
      return MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode message", e);
    }
  }

  /** True when the token is the start of a JSON value that is not null. */
  public static boolean isValue(JsonToken token) {
    return token != null && token != JsonToken.VALUE_NULL;
  }
}
