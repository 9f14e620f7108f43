package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The SQL primitives the loaders are built from, run against a real database. */
public class TableOperations {
  private final ConnectionSource connections;
  private final SqlDialect dialect;

  public TableOperations(ConnectionSource connections, SqlDialect dialect) {
    this.connections = connections;
    this.dialect = dialect;
  }

  public SqlDialect dialect() {
    return dialect;
  }

  public ConnectionSource connections() {
    return connections;
  }

  /**
   * Creates the namespace unless it exists. Existence is checked first because some databases
   * (PostgreSQL) refuse even {@code CREATE SCHEMA IF NOT EXISTS} to a user who may write into an
   * existing schema but not create one.
   */
  public void createNamespace(String namespace) throws SQLException {
    if (!namespaceExists(namespace)) {
      execute(dialect.createNamespace(namespace));
    }
  }

  public boolean namespaceExists(String namespace) throws SQLException {
    try (Connection connection = connections.open();
        PreparedStatement statement = connection.prepareStatement(dialect.selectNamespace())) {
      statement.setString(1, namespace);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  public void dropNamespace(String namespace) throws SQLException {
    execute(dialect.dropNamespace(namespace));
  }

  public void createTable(TableName table, List<ColumnDef> columns, boolean replace) throws SQLException {
    execute(dialect.createTable(table, columns, replace));
  }

  public void dropTable(TableName table) throws SQLException {
    execute(dialect.dropTable(table));
  }

  public boolean tableExists(TableName table) throws SQLException {
    return !columns(table).isEmpty();
  }

  public long countRows(TableName table) throws SQLException {
    try (Connection connection = connections.open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(dialect.countRows(table))) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The generation id of the table's rows, or empty when the table is empty or has none. */
  public OptionalLong generationId(TableName table) throws SQLException {
    try (Connection connection = connections.open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(dialect.selectGenerationId(table))) {
      if (rows.next()) {
        long value = rows.getLong(1);
        return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
      }
      return OptionalLong.empty();
    }
  }

  /** The table's columns in table order (name to database type); empty when the table does not exist. */
  public Map<String, String> columns(TableName table) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (Connection connection = connections.open();
        PreparedStatement statement = connection.prepareStatement(dialect.selectColumns())) {
      statement.setString(1, table.namespace());
      statement.setString(2, table.name());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return columns;
  }

  /** Adds the stream's columns the table lacks; returns the table's columns afterwards, in order. */
  public List<String> addMissingColumns(TableName table, List<ColumnDef> wanted) throws SQLException {
    Map<String, String> existing = columns(table);
    for (ColumnDef column : wanted) {
      if (!existing.containsKey(column.name())) {
        execute(dialect.addColumn(table, column));
      }
    }
    return new ArrayList<>(columns(table).keySet());
  }

  public void execute(String sql) throws SQLException {
    try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + " [SQL: " + sql + "]", e.getSQLState(), e.getErrorCode(), e);
    }
  }
}
