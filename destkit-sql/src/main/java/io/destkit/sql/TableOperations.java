package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
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
  private final ColumnEvolution evolution;

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
    this.evolution = new ColumnEvolution(dialect, log);
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
    for (ColumnInfo column : describe(table)) {
      columns.put(column.name(), column.type());
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
        PreparedStatement statement = connection.prepareStatement(dialect.describeColumns(table))) {
      dialect.bindDescribe(statement, table);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(new ColumnInfo(rows.getString(1), rows.getString(2), !"NO".equalsIgnoreCase(rows.getString(3))));
        }
      }
    } catch (SQLException e) {
      if (dialect.isMissingTable(e)) {
        return List.of();
      }
      throw e;
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
   * drops NOT NULL from user columns, in one transaction; the views that use a retyped column are
   * recreated around the change in it (see {@link ColumnEvolution}). Columns the stream does not
   * have are kept. Returns the table's columns afterwards, in order.
   */
  public List<String> evolve(TableName table, List<ColumnDef> wanted) throws SQLException {
    return evolve(table, wanted, describe(table));
  }

  /** {@link #evolve(TableName, List)} from the table's columns as just described. */
  private List<String> evolve(TableName table, List<ColumnDef> wanted, List<ColumnInfo> current) throws SQLException {
    SchemaChanges changes = SchemaChanges.between(dialect, table, current, wanted);
    if (!changes.isEmpty()) {
      long[] nulledCounts = inTransaction(statement -> evolution.keepingColumns(statement, table, changes));
      reportRetypes(table, changes, nulledCounts);
    }
    if (!changes.removedColumns().isEmpty() && !dropRemovedColumns) {
      log.info("Table " + readable(table) + ": kept columns " + String.join(", ", changes.removedColumns())
          + ", which the stream does not have; new rows hold NULL in them.");
    }
    if (changes.isEmpty()) {
      return current.stream().map(ColumnInfo::name).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }
    return new ArrayList<>(columns(table).keySet());
  }

  /**
   * The schema change deferred to a stream's complete close: drops the columns of {@code table} the
   * stream does not have, when these operations were built to; else keeps them. A column a view
   * uses is kept unless drops cascade (see {@link ColumnEvolution}). Never called after a failed or
   * incomplete sync, so such a sync drops nothing.
   */
  public void completeEvolution(TableName table, List<ColumnDef> wanted) throws SQLException {
    if (!dropRemovedColumns) {
      return;
    }
    SchemaChanges changes = SchemaChanges.between(dialect, table, describe(table), wanted);
    if (changes.removedColumns().isEmpty()) {
      return;
    }
    List<String> dropped = inTransaction(statement -> evolution.dropping(statement, table, changes.removedColumns()));
    if (!dropped.isEmpty()) {
      log.info("Table " + readable(table) + ": dropped columns " + String.join(", ", dropped)
          + ", which the stream no longer has.");
    }
  }

  private void reportRetypes(TableName table, SchemaChanges changes, long[] nulledCounts) {
    for (int i = 0; i < changes.retyped().size(); i++) {
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

  private static String readable(TableName table) {
    return table.namespace() + "." + table.name();
  }

  /** Creates the table if it is missing, else evolves it; returns its columns in order. */
  public List<String> createOrEvolve(TableName table, List<ColumnDef> wanted) throws SQLException {
    List<ColumnInfo> current = describe(table);
    if (current.isEmpty()) {
      createTable(table, wanted, false);
      // Described again rather than assumed: another writer may have created it first.
      current = describe(table);
    }
    return evolve(table, wanted, current);
  }

  /**
   * Replaces the rows of {@code target} with those of {@code source}, which is dropped, in one
   * transaction that first runs {@code first} (statements on {@code source}); readers see the old
   * rows until it commits. When {@code target} holds what a swap would lose ({@link
   * SqlDialect#selectWhatASwapLoses}: views, grants, comments, indexes, ...), it is kept: its rows
   * are deleted, its columns made the stream's (around its views) and the new rows copied in, which
   * costs a copy of every row. Otherwise {@code source} is swapped in ({@link
   * SqlDialect#overwriteTable}), a rename.
   */
  public void overwrite(TableName source, TableName target, List<ColumnDef> wanted, List<String> first)
      throws SQLException {
    List<String> kept = whatASwapLoses(target);
    if (kept.isEmpty()) {
      List<String> statements = new ArrayList<>(first);
      statements.addAll(dialect.overwriteTable(source, target));
      executeInTransaction(statements);
      return;
    }
    log.info("Table " + readable(target) + ": the refresh replaces its rows in place, keeping its "
        + String.join(", ", kept) + ".");
    SchemaChanges changes = SchemaChanges.between(dialect, target, describe(target), wanted);
    List<String> columns = new ArrayList<>(io.destkit.core.catalog.MetaColumns.ALL);
    wanted.forEach(column -> columns.add(column.name()));
    inTransaction(statement -> {
      for (String sql : first) {
        statement.run(sql);
      }
      statement.run(dialect.deleteAllRows(target));
      evolution.replacing(statement, target, changes);
      statement.run(dialect.copyRows(source, target, columns));
      statement.run(dialect.dropTable(source));
      return null;
    });
  }

  /** What replacing the table by a swap would lose (see {@link SqlDialect#selectWhatASwapLoses}). */
  public List<String> whatASwapLoses(TableName table) throws SQLException {
    Optional<String> select = dialect.selectWhatASwapLoses();
    List<String> found = new ArrayList<>();
    if (select.isEmpty()) {
      return found;
    }
    try (Connection connection = connections.open();
        PreparedStatement statement = connection.prepareStatement(select.get())) {
      statement.setString(1, table.namespace());
      statement.setString(2, table.name());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getString(1));
        }
      }
    }
    return found;
  }

  /**
   * Deletes the rows of {@code table} whose raw id is a version 7 id greater than {@code mark} and in
   * none of the {@code kept} ranges (see {@link SqlDialect#deleteRowsAfter}); returns how many there
   * were. At most {@value #KEPT_RANGES_PER_STATEMENT} ranges go into one statement (so its
   * parameters stay far below any driver's limit): with more, the ids above the mark are cut at the
   * kept ranges into consecutive spans of that many ranges each, deleted by one statement per span
   * (bounded above by the first kept id of the next span), all in one transaction.
   */
  public long deleteRowsAfter(TableName table, RawId mark, List<RawIdRange> kept) throws SQLException {
    List<RangeDeletion> deletions = rangeDeletions(mark, RawIdRange.above(mark, kept));
    List<String> waitForWriters = dialect.waitForWriters(table);
    if (waitForWriters.isEmpty() && deletions.size() == 1) {
      RangeDeletion deletion = deletions.get(0);
      String sql = deletion.sql(dialect, table);
      try (Connection connection = connections.open();
          PreparedStatement statement = connection.prepareStatement(sql)) {
        deletion.bind(statement);
        return statement.executeLargeUpdate();
      } catch (SQLException e) {
        throw new SQLException(e.getMessage() + " [SQL: " + abbreviate(sql) + "]", e.getSQLState(), e.getErrorCode(), e);
      }
    }
    return inTransaction(transaction -> {
      for (String wait : waitForWriters) {
        transaction.run(wait);
      }
      long removed = 0;
      for (RangeDeletion deletion : deletions) {
        String sql = deletion.sql(dialect, table);
        try (PreparedStatement statement = transaction.connection().prepareStatement(sql)) {
          deletion.bind(statement);
          removed += statement.executeLargeUpdate();
        } catch (SQLException e) {
          throw new SQLException(e.getMessage() + " [SQL: " + abbreviate(sql) + "]", e.getSQLState(), e.getErrorCode(), e);
        }
      }
      return removed;
    });
  }

  /** The most kept ranges one statement of {@link #deleteRowsAfter} excludes. */
  static final int KEPT_RANGES_PER_STATEMENT = 500;

  /**
   * One statement of {@link #deleteRowsAfter}: the ids above {@code after}, below {@code before} when
   * present, but for the {@code kept} ranges (ascending, disjoint, all inside that span).
   */
  record RangeDeletion(RawId after, Optional<RawId> before, List<RawIdRange> kept) {
    String sql(SqlDialect dialect, TableName table) {
      return dialect.deleteRowsAfter(table, kept.size(), before.isPresent());
    }

    void bind(PreparedStatement statement) throws SQLException {
      int parameter = 1;
      statement.setString(parameter++, after.toString());
      if (before.isPresent()) {
        statement.setString(parameter++, before.get().toString());
      }
      for (RawIdRange range : kept) {
        statement.setString(parameter++, range.first().toString());
        statement.setString(parameter++, range.last().toString());
      }
    }
  }

  /**
   * Cuts the ids above the mark into spans of at most {@value #KEPT_RANGES_PER_STATEMENT} kept
   * ranges: span k runs from the last id of the previous span's last range (or the mark) to the first
   * id of the next span's first range (or without bound), so the spans together hold every id above
   * the mark, and no kept range is split.
   */
  static List<RangeDeletion> rangeDeletions(RawId mark, List<RawIdRange> kept) {
    List<RangeDeletion> deletions = new ArrayList<>();
    RawId after = mark;
    for (int start = 0; start == 0 || start < kept.size(); start += KEPT_RANGES_PER_STATEMENT) {
      int end = Math.min(kept.size(), start + KEPT_RANGES_PER_STATEMENT);
      Optional<RawId> before = end < kept.size() ? Optional.of(kept.get(end).first()) : Optional.empty();
      deletions.add(new RangeDeletion(after, before, List.copyOf(kept.subList(start, end))));
      if (end > start) {
        after = kept.get(end - 1).last();
      }
    }
    return deletions;
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
  static final class TransactionStatement {
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

    /** The transaction's connection, for reads that must see its changes. */
    Connection connection() throws SQLException {
      return statement.getConnection();
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
      } catch (RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
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
