package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes that bring a table's actual columns to a stream's columns. Pure: the same inputs
 * always give the same statements.
 *
 * <p>{@link #statements()} destroy nothing a later sync could still want, in this order: meta
 * columns added, then for each stream column in order: added, or retyped (to JSON through {@link
 * SqlDialect#alterColumnTypeToJson}, else with a safe cast) and made nullable. Columns the table has and the stream does not (removed by
 * the source, or added by hand) are only listed in {@link #removedColumns()}: dropping them is a
 * separate decision ({@link #dropStatements}), taken at a complete close when the user asked for it.
 *
 * @param retyped the columns changed with a safe cast, whose non-null values may become NULL
 * @param typeChanged every column whose type changes (to JSON too), in order: what a view using one
 *     of them must be recreated around
 */
public record SchemaChanges(
    List<String> statements, List<Retype> retyped, List<String> typeChanged, List<String> removedColumns) {
  public SchemaChanges {
    statements = List.copyOf(statements);
    retyped = List.copyOf(retyped);
    typeChanged = List.copyOf(typeChanged);
    removedColumns = List.copyOf(removedColumns);
  }

  /** A column changed to another type with a safe cast. */
  public record Retype(String column, String fromType, String toType) {}

  public static SchemaChanges between(
      SqlDialect dialect, TableName table, List<ColumnInfo> actual, List<ColumnDef> wanted) {
    Map<String, ColumnInfo> existing = new HashMap<>();
    for (ColumnInfo column : actual) {
      existing.put(column.name(), column);
    }
    List<String> statements = new ArrayList<>();
    List<Retype> retyped = new ArrayList<>();
    List<String> typeChanged = new ArrayList<>();
    for (String meta : MetaColumns.ALL) {
      if (!existing.containsKey(meta)) {
        statements.add(dialect.addMetaColumn(table, meta));
      }
    }
    Set<String> wantedNames = new HashSet<>(MetaColumns.ALL);
    wanted.forEach(column -> wantedNames.add(column.name()));
    List<String> removed = new ArrayList<>();
    for (ColumnInfo column : actual) {
      if (!wantedNames.contains(column.name())) {
        removed.add(column.name());
      }
    }
    for (ColumnDef column : wanted) {
      ColumnInfo current = existing.get(column.name());
      String type = dialect.columnType(column.type());
      if (current == null) {
        statements.add(dialect.addColumn(table, column));
        continue;
      }
      if (!dialect.normalizeType(current.type()).equals(dialect.normalizeType(type))) {
        typeChanged.add(column.name());
        if (type.equals(dialect.columnType(AirbyteType.UNKNOWN))) {
          statements.addAll(dialect.alterColumnTypeToJson(table, column.name(), type));
        } else {
          statements.addAll(dialect.alterColumnType(table, column.name(), type));
          retyped.add(new Retype(column.name(), current.type(), type));
        }
      }
      if (!current.nullable()) {
        statements.add(dialect.dropNotNull(table, column.name()));
      }
    }
    return new SchemaChanges(statements, retyped, typeChanged, removed);
  }

  public boolean isEmpty() {
    return statements.isEmpty();
  }

  /** The statements that drop {@link #removedColumns()}, in table order. */
  public List<String> dropStatements(SqlDialect dialect, TableName table) {
    return removedColumns.stream().map(column -> dialect.dropColumn(table, column)).toList();
  }
}
