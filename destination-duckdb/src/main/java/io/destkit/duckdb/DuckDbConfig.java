package io.destkit.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import java.nio.file.Path;

/**
 * The DuckDB destination's config.
 *
 * @param destinationPath the database file
 * @param schema the schema of streams without a namespace
 */
public record DuckDbConfig(Path destinationPath, String schema) {
  public static final String DEFAULT_SCHEMA = "main";

  /** Binds a config that passed the spec's validation. */
  public static DuckDbConfig from(JsonNode json) {
    String path = json.path("destination_path").asText();
    if (path.startsWith("md:") || path.startsWith("motherduck:")) {
      throw new ConfigErrorException(
          "destination_path '" + path + "' points at MotherDuck; this destination writes local DuckDB files only.");
    }
    if (path.equals(":memory:")) {
      throw new ConfigErrorException(
          "destination_path ':memory:' would discard every row at the end of the sync; give a file path.");
    }
    String schema = json.path("schema").asText(DEFAULT_SCHEMA);
    return new DuckDbConfig(Path.of(path), schema.isBlank() ? DEFAULT_SCHEMA : schema);
  }
}
