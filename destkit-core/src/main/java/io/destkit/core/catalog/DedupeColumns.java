package io.destkit.core.catalog;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The columns that dedupe a stream's table: its primary key's, its cursor's (if any), and the
 * column whose non-null value marks a CDC delete (if the stream has one).
 *
 * @param primaryKey the key's column names, in the catalog's order
 */
public record DedupeColumns(List<String> primaryKey, Optional<String> cursor, Optional<String> cdcDeletedAt) {
  /** The field whose non-null value marks a CDC delete. */
  public static final String CDC_DELETED_AT = "_ab_cdc_deleted_at";

  public DedupeColumns {
    primaryKey = List.copyOf(primaryKey);
  }

  /**
   * The dedupe columns of a stream whose import type is {@link ImportType.Dedupe}.
   *
   * @throws ConfigErrorException naming the stream when it has no primary key, or a key or cursor
   *     field that is not in its schema
   */
  public static DedupeColumns of(StreamTables tables) {
    DestinationStream stream = tables.stream();
    ImportType.Dedupe dedupe = (ImportType.Dedupe) stream.importType();
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
    return new DedupeColumns(key, cursor, column(tables, CDC_DELETED_AT));
  }

  /** The column of a source field, when the stream has it. */
  public static Optional<String> column(StreamTables tables, String field) {
    for (ColumnDef column : tables.columns()) {
      if (field.equals(column.sourceName())) {
        return Optional.of(column.name());
      }
    }
    return Optional.empty();
  }
}
