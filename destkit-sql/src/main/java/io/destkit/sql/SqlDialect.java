package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import java.util.List;
import java.util.StringJoiner;

/**
 * A database's SQL: its type names and the statements the kit runs. Every method is pure (no I/O)
 * and returns a whole statement, so each can be tested as a string. Identifiers are always quoted.
 * The defaults are standard SQL; a destination overrides what its database spells differently.
 */
public interface SqlDialect {

  /** The DDL type of a user column of this Airbyte type. Must cover every type. */
  String columnType(AirbyteType type);

  /** The DDL type of a meta column ({@link MetaColumns}). */
  String metaColumnType(String metaColumn);

  /** Quotes an identifier, doubling embedded quotes. */
  default String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  default String qualified(TableName table) {
    return quote(table.namespace()) + "." + quote(table.name());
  }

  /** Selects a row when the namespace exists. Parameter: the namespace. */
  default String selectNamespace() {
    return "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?";
  }

  default String createNamespace(String namespace) {
    return "CREATE SCHEMA IF NOT EXISTS " + quote(namespace);
  }

  default String dropNamespace(String namespace) {
    return "DROP SCHEMA IF EXISTS " + quote(namespace) + " CASCADE";
  }

  /** Creates a final (or temp) table: the meta columns first, then the user columns. */
  default String createTable(TableName table, List<ColumnDef> columns, boolean replace) {
    String create = replace ? "CREATE OR REPLACE TABLE " : "CREATE TABLE IF NOT EXISTS ";
    return create + qualified(table) + " (" + columnDefinitions(columns) + ")";
  }

  /** The column list of a new table: the meta columns, then the user columns, with their types. */
  default String columnDefinitions(List<ColumnDef> columns) {
    StringJoiner definitions = new StringJoiner(", ");
    for (String meta : MetaColumns.ALL) {
      String notNull = meta.equals(MetaColumns.GENERATION_ID) ? "" : " NOT NULL";
      definitions.add(quote(meta) + " " + metaColumnType(meta) + notNull);
    }
    for (ColumnDef column : columns) {
      definitions.add(quote(column.name()) + " " + columnType(column.type()));
    }
    return definitions.toString();
  }

  default String dropTable(TableName table) {
    return "DROP TABLE IF EXISTS " + qualified(table);
  }

  default String countRows(TableName table) {
    return "SELECT COUNT(*) FROM " + qualified(table);
  }

  /** The generation id of any one row (all rows of a table written by a truncate share it). */
  default String selectGenerationId(TableName table) {
    return "SELECT " + quote(MetaColumns.GENERATION_ID) + " FROM " + qualified(table) + " LIMIT 1";
  }

  default String addColumn(TableName table, ColumnDef column) {
    return "ALTER TABLE " + qualified(table) + " ADD COLUMN " + quote(column.name()) + " " + columnType(column.type());
  }

  /** Lists a table's columns in table order: rows of (column_name, data_type). Parameters: schema, table. */
  default String selectColumns() {
    return "SELECT column_name, data_type FROM information_schema.columns"
        + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
  }
}
