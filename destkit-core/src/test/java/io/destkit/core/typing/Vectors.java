package io.destkit.core.typing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The public Airbyte fixtures in the shared {@code vectors} directory: found through the system
 * property {@code destkit.vectors}, else as {@code shared/vectors} beside an ancestor of the
 * working directory.
 */
final class Vectors {
  /** Numbers read as BigDecimal, so that expected values keep their exact digits. */
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final Path ROOT = locate();

  private Vectors() {}

  static JsonNode json(String relativePath) {
    try {
      return MAPPER.readTree(ROOT.resolve(relativePath).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The records of a JSONL fixture; lines starting with {@code //} and blank lines are comments. */
  static List<JsonNode> jsonl(String relativePath) {
    try {
      List<JsonNode> records = new ArrayList<>();
      for (String line : lines(relativePath)) {
        records.add(MAPPER.readTree(line));
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The raw text of each record of a JSONL fixture, comments left out. */
  static List<String> lines(String relativePath) {
    try {
      return Files.readAllLines(ROOT.resolve(relativePath)).stream()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("//"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record whose {@code field} (at top level or in {@code _airbyte_data}) has this value. */
  static JsonNode find(List<JsonNode> records, String field, String value) {
    for (JsonNode record : records) {
      JsonNode at = record.has(field) ? record.get(field) : record.path("_airbyte_data").get(field);
      if (at != null && at.asText().equals(value)) {
        return record;
      }
    }
    throw new IllegalArgumentException("no record with " + field + " = " + value);
  }

  private static Path locate() {
    String configured = System.getProperty("destkit.vectors");
    if (configured != null) {
      return Paths.get(configured);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("vectors");
      if (Files.isDirectory(candidate.resolve("airbyte"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Test vectors not found: set -Ddestkit.vectors=/path/to/shared/vectors");
  }
}
