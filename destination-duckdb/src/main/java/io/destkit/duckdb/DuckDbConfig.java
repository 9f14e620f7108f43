package io.destkit.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import java.nio.file.Path;

/**
 * The DuckDB destination's config.
 *
 * @param destinationPath the database file
 * @param schema the schema of streams without a namespace
 * @param hardDelete whether a CDC delete removes the row (else the tombstone row is kept)
 * @param dropRemovedColumns whether a complete sync drops the columns its stream no longer has
 */
public record DuckDbConfig(Path destinationPath, String schema, boolean hardDelete, boolean dropRemovedColumns) {
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
    boolean hardDelete = !"Soft delete".equals(json.path("cdc_deletion_mode").asText("Hard delete"));
    return new DuckDbConfig(
        Path.of(path), schema.isBlank() ? DEFAULT_SCHEMA : schema, hardDelete,
        json.path("drop_removed_columns").asBoolean(false));
  }
}
