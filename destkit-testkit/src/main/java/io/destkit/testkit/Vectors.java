package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared test vectors (public Airbyte fixtures): found through the system property {@code
 * destkit.vectors}, else as {@code shared/vectors} beside an ancestor of the working directory
 * (that is, {@code ../shared/vectors} relative to the repository root).
 */
public final class Vectors {
  public static final String PROPERTY = "destkit.vectors";

  private static Path root;

  private Vectors() {}

  /** The vectors directory. */
  public static synchronized Path root() {
    if (root == null) {
      root = locate();
    }
    return root;
  }

  /** A file of the vectors, by its path relative to the vectors directory. */
  public static Path path(String relativePath) {
    Path file = root().resolve(relativePath);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("Test vector " + relativePath + " is not in " + root());
    }
    return file;
  }

  public static JsonNode json(String relativePath) {
    try {
      return MessageCodec.MAPPER.readTree(path(relativePath).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path locate() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("vectors");
      if (Files.isDirectory(candidate.resolve("airbyte"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Test vectors not found above " + Path.of("").toAbsolutePath()
            + ": set -D" + PROPERTY + "=/path/to/shared/vectors");
  }
}
