package io.destkit.sql;

import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An upsert of a source table's rows into a target table: one row per primary key, newest version
 * first by {@code cursor DESC NULLS LAST, _airbyte_extracted_at DESC}, then arrival order ({@code
 * _airbyte_raw_id DESC}), over old and new rows together; on a full tie an incoming row wins.
 *
 * @param columns every column both tables have (meta columns included), in target order
 * @param primaryKey the key's column names (compared NULL-safely)
 * @param keyTypes the Airbyte type of each key column (a dialect may need it to join keys NULL-safely
 *     with plain equalities)
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
    Map<String, AirbyteType> keyTypes,
    Optional<String> cursor,
    Optional<String> cdcDeletedAt,
    boolean hardDelete) {
  public UpsertSpec {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    keyTypes = Map.copyOf(keyTypes);
    for (String key : primaryKey) {
      if (!keyTypes.containsKey(key)) {
        throw new IllegalArgumentException("no type for key column " + key);
      }
    }
  }

  /** The Airbyte type of a key column. */
  public AirbyteType keyType(String keyColumn) {
    return keyTypes.get(keyColumn);
  }

  public UpsertSpec withTarget(TableName newTarget) {
    return new UpsertSpec(source, newTarget, columns, primaryKey, keyTypes, cursor, cdcDeletedAt, hardDelete);
  }
}
