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
 * Computes the statements that bring a table's actual columns to a stream's columns. Pure: the
 * same inputs always give the same statements, in this order: meta columns added, user columns
 * dropped, added, retyped (to JSON through {@link SqlDialect#alterColumnTypeToJson}, else with a safe
 * cast), made nullable.
 */
public final class SchemaChanges {
  private SchemaChanges() {}

  public static List<String> between(
      SqlDialect dialect, TableName table, List<ColumnInfo> actual, List<ColumnDef> wanted) {
    Map<String, ColumnInfo> existing = new HashMap<>();
    for (ColumnInfo column : actual) {
      existing.put(column.name(), column);
    }
    List<String> statements = new ArrayList<>();
    for (String meta : MetaColumns.ALL) {
      if (!existing.containsKey(meta)) {
        statements.add(dialect.addMetaColumn(table, meta));
      }
    }
    Set<String> wantedNames = new HashSet<>(MetaColumns.ALL);
    wanted.forEach(column -> wantedNames.add(column.name()));
    for (ColumnInfo column : actual) {
      if (!wantedNames.contains(column.name())) {
        statements.add(dialect.dropColumn(table, column.name()));
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
        statements.addAll(
            type.equals(dialect.columnType(AirbyteType.UNKNOWN))
                ? dialect.alterColumnTypeToJson(table, column.name(), type)
                : dialect.alterColumnType(table, column.name(), type));
      }
      if (!current.nullable()) {
        statements.add(dialect.dropNotNull(table, column.name()));
      }
    }
    return statements;
  }
}
