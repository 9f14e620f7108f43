package io.destkit.iceberg;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What dedupes a stream: its primary key's columns, its cursor's column (if any), and the column
 * whose non-null value marks a CDC delete (if the stream has one).
 */
record DedupeKey(List<String> keyColumns, Optional<String> cursorColumn, Optional<String> cdcDeletedAtColumn) {
  /** The field whose non-null value marks a CDC delete. */
  static final String CDC_DELETED_AT = "_ab_cdc_deleted_at";

  /**
   * The stream's key.
   *
   * @throws ConfigErrorException naming the stream when it has no primary key, or a key or cursor
   *     field that is not in its schema
   */
  static DedupeKey of(StreamTables tables, ImportType.Dedupe dedupe) {
    DestinationStream stream = tables.stream();
    if (dedupe.primaryKey().isEmpty()) {
      throw new ConfigErrorException(
          "Stream '" + stream.descriptor() + "' uses append_dedup but has no primary_key in the catalog.");
    }
    List<String> key = new ArrayList<>();
    for (List<String> path : dedupe.primaryKey()) {
      String field = path.isEmpty() ? "" : path.get(0);
      key.add(column(tables, field).orElseThrow(() -> new ConfigErrorException(
          "Stream '" + stream.descriptor() + "': primary key field '" + field + "' is not in the stream's schema.")));
    }
    Optional<String> cursor = Optional.empty();
    if (!dedupe.cursor().isEmpty()) {
      String field = dedupe.cursor().get(0);
      cursor = Optional.of(column(tables, field).orElseThrow(() -> new ConfigErrorException(
          "Stream '" + stream.descriptor() + "': cursor field '" + field + "' is not in the stream's schema.")));
    }
    return new DedupeKey(List.copyOf(key), cursor, column(tables, CDC_DELETED_AT));
  }

  private static Optional<String> column(StreamTables tables, String field) {
    for (ColumnDef column : tables.columns()) {
      if (field.equals(column.sourceName())) {
        return Optional.of(column.name());
      }
    }
    return Optional.empty();
  }
}
