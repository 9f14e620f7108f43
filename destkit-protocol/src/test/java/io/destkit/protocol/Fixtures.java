package io.destkit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Test data: classpath resources of this module, and the public fixtures in the shared {@code
 * vectors} directory (system property {@code destkit.vectors}, else {@code shared/vectors} beside
 * an ancestor of the working directory).
 */
final class Fixtures {
  private Fixtures() {}

  static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The non-blank lines of a resource. */
  static List<String> resourceLines(String name) {
    return resource(name).lines().filter(line -> !line.isBlank()).toList();
  }

  static JsonNode tree(String json) {
    try {
      return MessageCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode vector(String relativePath) {
    try {
      return MessageCodec.MAPPER.readTree(vectors().resolve(relativePath).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path vectors() {
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
    throw new IllegalStateException("Test vectors not found: set -Ddestkit.vectors=/path/to/shared/vectors");
  }
}
