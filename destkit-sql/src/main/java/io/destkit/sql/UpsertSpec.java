package io.destkit.sql;

import io.destkit.core.catalog.TableName;
import java.util.List;
import java.util.Optional;

/**
 * An upsert of a source table's rows into a target table: one row per primary key, newest version
 * first by {@code cursor DESC NULLS LAST, _airbyte_extracted_at DESC}, then arrival order ({@code
 * _airbyte_raw_id DESC}), over old and new rows together; on a full tie an incoming row wins.
 *
 * @param columns every column both tables have (meta columns included), in target order
 * @param primaryKey the key's column names (compared NULL-safely)
 * @param cursor the cursor's column name, if the stream has one
 * @param cdcDeletedAt the CDC delete marker's column name, if the stream has one
 * @param hardDelete when a delete is a key's newest version: remove the key (true) or keep the
 *     tombstone row (false)
 */
public record UpsertSpec(
    TableName source,
    TableName target,
    List<String> columns,
    List<String> primaryKey,
    Optional<String> cursor,
    Optional<String> cdcDeletedAt,
    boolean hardDelete) {
  public UpsertSpec {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
  }

  public UpsertSpec withTarget(TableName newTarget) {
    return new UpsertSpec(source, newTarget, columns, primaryKey, cursor, cdcDeletedAt, hardDelete);
  }
}
