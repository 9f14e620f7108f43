package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** JSON-lines fixtures (the public Airbyte vectors' conventions) and small JSON helpers. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * The JSON objects of a JSON-lines vector, one per line; lines starting with {@code //} and blank
   * lines are comments.
   */
  public static List<ObjectNode> jsonLines(String vectorPath) {
    List<ObjectNode> objects = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Vectors.path(vectorPath))) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("//")) {
          objects.add((ObjectNode) MessageCodec.MAPPER.readTree(trimmed));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  /**
   * RECORD messages (without stream) carrying the rows of a raw-table fixture: {@code
   * _airbyte_data} is the data, {@code _airbyte_extracted_at} the emission time, {@code
   * _airbyte_meta} the record's meta.
   */
  public static List<ObjectNode> recordsOfRawRows(List<ObjectNode> rawRows) {
    List<ObjectNode> messages = new ArrayList<>();
    for (ObjectNode raw : rawRows) {
      ObjectNode message = MessageCodec.MAPPER.createObjectNode().put("type", "RECORD");
      ObjectNode record = message.putObject("record");
      record.put("emitted_at", Instant.parse(raw.path("_airbyte_extracted_at").asText()).toEpochMilli());
      record.set("data", raw.get("_airbyte_data").deepCopy());
      if (raw.hasNonNull("_airbyte_meta")) {
        record.set("meta", raw.get("_airbyte_meta").deepCopy());
      }
      messages.add(message);
    }
    return messages;
  }

  /** A JSON resource of the testkit, e.g. {@code sqlgenerator-schema.json}. */
  public static JsonNode resource(String name) {
    try (java.io.InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing testkit resource " + name);
      }
      return MessageCodec.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode json(String text) {
    try {
      return (ObjectNode) MessageCodec.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deep copies of the objects, each changed by {@code change}. */
  public static List<ObjectNode> edited(List<ObjectNode> objects, Consumer<ObjectNode> change) {
    List<ObjectNode> copies = new ArrayList<>();
    for (ObjectNode object : objects) {
      ObjectNode copy = object.deepCopy();
      change.accept(copy);
      copies.add(copy);
    }
    return copies;
  }

  /** Expected final rows with {@code _airbyte_generation_id} set (the fixtures predate generations). */
  public static List<ObjectNode> withGeneration(List<ObjectNode> expected, long generationId) {
    return edited(expected, row -> row.put("_airbyte_generation_id", generationId));
  }

  /** The lists one after the other. */
  @SafeVarargs
  public static List<ObjectNode> concat(List<ObjectNode>... lists) {
    List<ObjectNode> all = new ArrayList<>();
    for (List<ObjectNode> list : lists) {
      all.addAll(list);
    }
    return all;
  }
}
