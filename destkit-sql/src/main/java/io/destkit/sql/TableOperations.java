package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.TableName;
import io.destkit.core.pipeline.PipelineSettings;
import io.destkit.core.write.RawId;
import io.destkit.core.write.SyncLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SQL primitives the loaders are built from, run against a real database, and how the loaders
 * retry work that failed transiently.
 */
public class TableOperations {
  private final ConnectionSource connections;
  private final SqlDialect dialect;
  private final SyncLog log;
  private final boolean dropRemovedColumns;
  private final TransientRetry retry;
  private final FlushWatchdog watchdog;

  /**
   * @param log where schema changes a user should know of are reported (values a type change
   *     nulled, columns kept or dropped)
   * @param dropRemovedColumns whether a complete close drops the columns the stream no longer has
   *     (else they are kept, NULL in new rows)
   * @param retry how batches, stream starts and finalisations are retried on transient failures
   * @param flushTimeout a batch's load that makes no progress for this long is cancelled
   */
  public TableOperations(
      ConnectionSource connections, SqlDialect dialect, SyncLog log, boolean dropRemovedColumns, TransientRetry retry,
      Duration flushTimeout) {
    this.connections = connections;
    this.dialect = dialect;
    this.log = log;
    this.dropRemovedColumns = dropRemovedColumns;
    this.retry = retry;
    this.watchdog = new FlushWatchdog(connections, flushTimeout);
  }

  /** Operations that retry nothing. */
  public TableOperations(ConnectionSource connections, SqlDialect dialect, SyncLog log, boolean dropRemovedColumns) {
    this(connections, dialect, log, dropRemovedColumns, TransientRetry.NONE, PipelineSettings.DEFAULT_FLUSH_TIMEOUT);
  }

  /** Operations that keep removed columns and report nothing (checks, tests, tools). */
  public TableOperations(ConnectionSource connections, SqlDialect dialect) {
    this(connections, dialect, SyncLog.NONE, false);
  }

  public SqlDialect dialect() {
    return dialect;
  }

  public ConnectionSource connections() {
    return connections;
  }

  /**
   * Runs the work (a batch, a start, a finalisation), retrying it as these operations were built to
   * when it fails transiently; each retry starts on new connections (the pool's idle ones are
   * discarded first: the failure may have broken them all).
   */
  public <T> T withRetries(String what, TransientRetry.Attempt<T> work) throws SQLException {
    return retry.run(what, attempt -> {
      if (attempt > 1) {
        connections.discardIdle();
      }
      return work.run(attempt);
    });
  }

  FlushWatchdog watchdog() {
    return watchdog;
  }

  /**
   * Creates the namespace unless it exists. Existence is checked first because some databases
   * (PostgreSQL) refuse even {@code CREATE SCHEMA IF NOT EXISTS} to a user who may write into an
   * existing schema but not create one.
   */
  public void createNamespace(String namespace) throws SQLException {
    // Safe to re-run whatever an earlier attempt did: the check comes first, and the statement has IF NOT EXISTS.
    withRetries("Creating schema " + namespace, attempt -> {
      if (!namespaceExists(namespace)) {
        execute(dialect.createNamespace(namespace));
      }
      return null;
    });
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
   * and user columns, changes types with a safe cast (reporting how many values became NULL) and
   * drops NOT NULL from user columns, in one transaction. Columns the stream does not have are
   * kept. Returns the table's columns afterwards, in order.
   */
  public List<String> evolve(TableName table, List<ColumnDef> wanted) throws SQLException {
    SchemaChanges changes = SchemaChanges.between(dialect, table, describe(table), wanted);
    if (!changes.isEmpty()) {
      apply(table, changes);
    }
    if (!changes.removedColumns().isEmpty() && !dropRemovedColumns) {
      log.info("Table " + readable(table) + ": kept columns " + String.join(", ", changes.removedColumns())
          + ", which the stream does not have; new rows hold NULL in them.");
    }
    return new ArrayList<>(columns(table).keySet());
  }

  /**
   * The schema change deferred to a stream's complete close: drops the columns of {@code table} the
   * stream does not have, when these operations were built to; else keeps them. Never called after
   * a failed or incomplete sync, so such a sync drops nothing.
   */
  public void completeEvolution(TableName table, List<ColumnDef> wanted) throws SQLException {
    if (!dropRemovedColumns) {
      return;
    }
    SchemaChanges changes = SchemaChanges.between(dialect, table, describe(table), wanted);
    if (changes.removedColumns().isEmpty()) {
      return;
    }
    executeInTransaction(changes.dropStatements(dialect, table));
    log.info("Table " + readable(table) + ": dropped columns " + String.join(", ", changes.removedColumns())
        + ", which the stream no longer has.");
  }

  /**
   * Runs the changes in one transaction. The non-null values of the retyped columns are counted
   * before and after, in the same transaction, so the difference is exactly what the casts nulled.
   */
  private void apply(TableName table, SchemaChanges changes) throws SQLException {
    List<String> retyped = changes.retyped().stream().map(SchemaChanges.Retype::column).toList();
    long[] nulledCounts = inTransaction(statement -> {
      long[] before = countNonNull(statement, table, retyped);
      for (String sql : changes.statements()) {
        statement.run(sql);
      }
      long[] after = countNonNull(statement, table, retyped);
      for (int i = 0; i < before.length; i++) {
        before[i] -= after[i];
      }
      return before;
    });
    for (int i = 0; i < retyped.size(); i++) {
      SchemaChanges.Retype retype = changes.retyped().get(i);
      long nulled = nulledCounts[i];
      String change = "Table " + readable(table) + ": column " + retype.column() + " changed from type "
          + retype.fromType() + " to " + retype.toType() + "; ";
      if (nulled == 0) {
        log.info(change + "every value was kept.");
      } else {
        log.warn(change + nulled + (nulled == 1 ? " value" : " values") + " that could not be cast became NULL.");
      }
    }
  }

  private long[] countNonNull(TransactionStatement statement, TableName table, List<String> columns)
      throws SQLException {
    long[] counts = new long[columns.size()];
    if (columns.isEmpty()) {
      return counts;
    }
    try (ResultSet rows = statement.query(dialect.countNonNull(table, columns))) {
      rows.next();
      for (int i = 0; i < counts.length; i++) {
        counts[i] = rows.getLong(i + 1);
      }
    }
    return counts;
  }

  private static String readable(TableName table) {
    return table.namespace() + "." + table.name();
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

  /**
   * Deletes the rows of {@code table} whose raw id is a version 7 id greater than {@code mark} (see
   * {@link SqlDialect#deleteRowsAfter}); returns how many there were.
   */
  public long deleteRowsAfter(TableName table, RawId mark) throws SQLException {
    String sql = dialect.deleteRowsAfter(table);
    try (Connection connection = connections.open();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, mark.toString());
      return statement.executeLargeUpdate();
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + " [SQL: " + abbreviate(sql) + "]", e.getSQLState(), e.getErrorCode(), e);
    }
  }

  public void copyRows(TableName source, TableName target, List<String> columns) throws SQLException {
    execute(dialect.copyRows(source, target, columns));
  }

  public void upsert(UpsertSpec spec) throws SQLException {
    executeInTransaction(dialect.upsert(spec));
  }

  /** Runs statements in one transaction; on failure rolls back and names the failing statement. */
  public void executeInTransaction(List<String> statements) throws SQLException {
    inTransaction(statement -> {
      for (String sql : statements) {
        statement.run(sql);
      }
      return null;
    });
  }

  /** One statement object of a transaction, remembering the last SQL it ran for the error message. */
  private static final class TransactionStatement {
    private final Statement statement;
    private String current;

    TransactionStatement(Statement statement) {
      this.statement = statement;
    }

    void run(String sql) throws SQLException {
      current = sql;
      statement.execute(sql);
    }

    ResultSet query(String sql) throws SQLException {
      current = sql;
      return statement.executeQuery(sql);
    }
  }

  @FunctionalInterface
  private interface TransactionBody<T> {
    T run(TransactionStatement statement) throws SQLException;
  }

  /** Runs the body in one transaction and returns its result; on failure rolls back and names the failing statement. */
  private <T> T inTransaction(TransactionBody<T> body) throws SQLException {
    try (Connection connection = connections.open()) {
      connection.setAutoCommit(false);
      TransactionStatement transaction = null;
      try (Statement statement = connection.createStatement()) {
        transaction = new TransactionStatement(statement);
        T result = body.run(transaction);
        connection.commit();
        return result;
      } catch (SQLException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        String current = transaction == null ? null : transaction.current;
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
