package io.destkit.core.stream;

import io.destkit.core.ConfigErrorException;
import io.destkit.protocol.ConfiguredStream;
import io.destkit.protocol.StreamDescriptor;
import java.util.List;
import java.util.Set;

/**
 * The primary key and cursor of an {@code append_dedup} stream, checked when the catalog is read,
 * before any table is touched: each must name top-level fields of the stream's schema.
 */
final class DedupeSettings {
  private DedupeSettings() {}

  static ImportType.Dedupe of(ConfiguredStream configured, Set<String> fields) {
    StreamDescriptor stream = configured.descriptor();
    if (configured.primaryKey().isEmpty()) {
      throw new ConfigErrorException(
          "Stream '" + stream + "' uses append_dedup but has no primary_key in the catalog.");
    }
    for (List<String> path : configured.primaryKey()) {
      checkPath(stream, "primary_key", "primary key field", path, fields);
    }
    if (!configured.cursorField().isEmpty()) {
      checkPath(stream, "cursor_field", "cursor field", configured.cursorField(), fields);
    }
    return new ImportType.Dedupe(configured.primaryKey(), configured.cursorField());
  }

  private static void checkPath(
      StreamDescriptor stream, String setting, String what, List<String> path, Set<String> fields) {
    if (path.isEmpty()) {
      throw new ConfigErrorException("Stream '" + stream + "': " + setting + " has an empty field path.");
    }
    if (path.size() > 1) {
      throw new ConfigErrorException(
          "Stream '" + stream + "': the " + what + " " + quoted(path) + " (" + setting + ") is a nested path,"
              + " which deduplication does not support. Use a top-level field of the stream.");
    }
    if (!fields.contains(path.get(0))) {
      throw new ConfigErrorException(
          "Stream '" + stream + "': the " + what + " '" + path.get(0) + "' (" + setting
              + ") is not in the stream's schema. Use a top-level field the schema declares.");
    }
  }

  private static String quoted(List<String> path) {
    return "'" + String.join(".", path) + "'";
  }
}
