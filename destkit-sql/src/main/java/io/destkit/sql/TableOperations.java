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
import java.util.Optional;
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
      throw new SQLException(e.getMessage() + " [SQL: " + abbreviate(sql) + "]", e.getSQLState(), e.getErrorCode(), e);
    }
  }

  /** The table's columns in table order with type and nullability; empty when it does not exist. */
  public List<ColumnInfo> describe(TableName table) throws SQLException {
    List<ColumnInfo> columns = new ArrayList<>();
    try (Connection connection = connections.open();
        PreparedStatement statement = connection.prepareStatement(dialect.describeColumns())) {
      statement.setString(1, table.namespace());
      statement.setString(2, table.name());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(new ColumnInfo(rows.getString(1), rows.getString(2), !"NO".equalsIgnoreCase(rows.getString(3))));
        }
      }
    }
    return columns;
  }

  /** Whether the table exists, whether it is empty, and the generation of its rows. */
  public TableStatus status(TableName table) throws SQLException {
    if (!tableExists(table)) {
      return TableStatus.MISSING;
    }
    OptionalLong generation = generationId(table);
    boolean empty = generation.isEmpty() && !hasRows(table);
    return new TableStatus(true, empty, generation);
  }

  /** Whether the table holds any row; reads at most one (a count would read the whole table). */
  public boolean hasRows(TableName table) throws SQLException {
    try (Connection connection = connections.open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(dialect.selectAnyRow(table))) {
      return rows.next();
    }
  }

  /**
   * Drops the key indexes the dialect made on the table, but {@code keep}: one made for another key
   * costs every insert and helps no join, and one made for a key column's old type would block that
   * column's type change. Returns whether {@code keep} exists.
   */
  public boolean dropKeyIndexesExcept(TableName table, Optional<String> keep) throws SQLException {
    Optional<String> select = dialect.selectKeyIndexes();
    if (select.isEmpty()) {
      return false;
    }
    boolean kept = false;
    List<String> stale = new ArrayList<>();
    try (Connection connection = connections.open();
        PreparedStatement statement = connection.prepareStatement(select.get())) {
      statement.setString(1, table.namespace());
      statement.setString(2, table.name());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String index = rows.getString(1);
          if (keep.equals(Optional.of(index))) {
            kept = true;
          } else {
            stale.add(index);
          }
        }
      }
    }
    for (String index : stale) {
      execute(dialect.dropIndex(table, index));
    }
    return kept;
  }

  /**
   * Creates the index the upsert's key match uses on its target table, unless it exists. Returns
   * false when there is none: the dialect needs none, or the database refused it for want of a
   * privilege (only a table's owner may index it; the upsert is correct without, only slower).
   */
  public boolean createKeyIndex(UpsertSpec spec) throws SQLException {
    Optional<String> create = dialect.createKeyIndex(spec);
    if (create.isEmpty()) {
      return false;
    }
    try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
      statement.execute(create.get());
      return true;
    } catch (SQLException e) {
      if (dialect.isInsufficientPrivilege(e)) {
        return false;
      }
      throw new SQLException(e.getMessage() + " [SQL: " + abbreviate(create.get()) + "]", e.getSQLState(), e.getErrorCode(), e);
    }
  }

  /**
   * Brings an existing table to the stream's columns before any data is written: adds missing meta
   * and user columns, drops columns the stream no longer has, changes types with a safe cast and
   * drops NOT NULL from user columns. Returns the table's columns afterwards, in order.
   */
  public List<String> evolve(TableName table, List<ColumnDef> wanted) throws SQLException {
    List<String> statements = SchemaChanges.between(dialect, table, describe(table), wanted);
    if (!statements.isEmpty()) {
      executeInTransaction(statements);
    }
    return new ArrayList<>(columns(table).keySet());
  }

  /** Creates the table if it is missing, else evolves it; returns its columns in order. */
  public List<String> createOrEvolve(TableName table, List<ColumnDef> wanted) throws SQLException {
    if (!tableExists(table)) {
      createTable(table, wanted, false);
    }
    return evolve(table, wanted);
  }

  /** Replaces {@code target} with {@code source} atomically. */
  public void overwrite(TableName source, TableName target) throws SQLException {
    executeInTransaction(dialect.overwriteTable(source, target));
  }

  public void copyRows(TableName source, TableName target, List<String> columns) throws SQLException {
    execute(dialect.copyRows(source, target, columns));
  }

  public void upsert(UpsertSpec spec) throws SQLException {
    executeInTransaction(dialect.upsert(spec));
  }

  /** Runs statements in one transaction; on failure rolls back and names the failing statement. */
  public void executeInTransaction(List<String> statements) throws SQLException {
    try (Connection connection = connections.open()) {
      connection.setAutoCommit(false);
      String current = null;
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          current = sql;
          statement.execute(sql);
        }
        connection.commit();
      } catch (SQLException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw new SQLException(e.getMessage() + " [SQL: " + abbreviate(current) + "]", e.getSQLState(), e.getErrorCode(), e);
      }
    }
  }

  /** The failing statement as attached to an error: its start, enough to tell which one it was. */
  static String abbreviate(String sql) {
    if (sql == null || sql.length() <= 400) {
      return sql;
    }
    return sql.substring(0, 400) + "... (" + sql.length() + " characters)";
  }
}
