package io.destkit.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Reads and writes Airbyte messages as single-line JSON (JSONL). */
public final class MessageCodec {

  /** Shared, thread-safe mapper: {@link JsonConfiguration#MAPPER}. */
  public static final ObjectMapper MAPPER = JsonConfiguration.MAPPER;

  private MessageCodec() {}

  /** The factory of every parser and generator: {@link JsonConfiguration#FACTORY}. */
  public static JsonFactory jsonFactory() {
    return JsonConfiguration.FACTORY;
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

  /**
   * Encodes a message as one line of JSON, without the line terminator. Iterative: a tree as deep
   * as {@link JsonConfiguration#MAX_INPUT_DEPTH} is written without overflowing the stack.
   */
  public static String encode(JsonNode message) {
    StringWriter text = new StringWriter(256);
    try (JsonGenerator generator = JsonConfiguration.FACTORY.createGenerator(text)) {
      JsonTreeWriter.write(message, generator);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode message", e);
    }
    return text.toString();
  }

  /** True when the token is the start of a JSON value that is not null. */
  public static boolean isValue(JsonToken token) {
    return token != null && token != JsonToken.VALUE_NULL;
  }
}
