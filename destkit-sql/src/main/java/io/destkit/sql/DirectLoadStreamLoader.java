package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.core.write.StreamLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The common part of the direct-load stream loaders: batches are bulk-loaded straight into one
 * typed table (the final table or the stream's temp table), each batch committed on its own
 * connection. Subclasses decide, at {@link #prepare()}, which table that is and, at {@link #finish},
 * what happens to it.
 *
 * <p>A batch, a start and a finalisation that fail transiently are retried ({@link
 * TableOperations#withRetries}), each retry on new connections. A batch's retry first deletes, in
 * the transaction that loads it again, the rows an earlier attempt may have committed without the commit being
 * acknowledged, so every batch lands once. A start re-reads the tables' state and redoes only what
 * is missing; a finalisation that finds its temp table gone knows its earlier attempt committed. A
 * batch's load that makes no progress for the flush timeout is cancelled and retried.
 */
public abstract class DirectLoadStreamLoader implements StreamLoader {
  protected final TableOperations operations;
  protected final StreamTables tables;
  private final BulkLoader bulkLoader;
  private volatile TableName writeTarget;
  private volatile TargetLayout layout;

  protected DirectLoadStreamLoader(TableOperations operations, BulkLoader bulkLoader, StreamTables tables) {
    this.operations = operations;
    this.bulkLoader = bulkLoader;
    this.tables = tables;
  }

  /** Makes {@code table} the one batches go to, creating it or evolving it to the stream's columns. */
  protected final void writeInto(TableName table) throws SQLException {
    // Batches never go to a dedupe target: a key index a dedupe left would only slow their writes.
    operations.dropKeyIndexesExcept(table, Optional.empty());
    List<String> columns = operations.createOrEvolve(table, tables.columns());
    layout = TargetLayout.of(columns, tables.columns());
    writeTarget = table;
  }

  /** Drops and recreates a table, empty, with the stream's columns. */
  protected final void recreate(TableName table) throws SQLException {
    operations.createTable(table, tables.columns(), true);
  }

  /** Creates or evolves the table batches go to (calling {@link #writeInto}); run again on a retry. */
  protected abstract void prepare() throws SQLException;

  /**
   * Finalises the stream; run again when it failed transiently.
   *
   * @param retrying whether an earlier attempt failed: it may have committed its transaction before
   *     the failure was reported, so what it replaced may be gone (see {@link #tempTableGone})
   */
  protected abstract void finish(boolean streamCompleted, boolean retrying) throws SQLException;

  @Override
  public final void start() throws SQLException {
    operations.withRetries("Starting stream '" + tables.stream().descriptor() + "'", attempt -> {
      prepare();
      return null;
    });
  }

  @Override
  public final void close(boolean streamCompleted) throws SQLException {
    operations.withRetries("Finalising stream '" + tables.stream().descriptor() + "'", attempt -> {
      finish(streamCompleted, attempt > 1);
      return null;
    });
  }

  /**
   * On a retry of a finalisation, whether the temp table is gone: the earlier attempt's transaction,
   * which replaced or dropped it, committed. Before any retry it is never gone (the start created it).
   */
  protected final boolean tempTableGone(boolean retrying) throws SQLException {
    return retrying && !operations.tableExists(tables.tempTable());
  }

  @Override
  public final void write(RecordBatch batch) throws SQLException {
    String what = "Loading " + batch.size() + " records of stream '" + tables.stream().descriptor() + "'";
    operations.withRetries(what, attempt -> {
      load(batch, attempt > 1);
      return null;
    });
  }

  /** One attempt of a batch, in one transaction on a fresh connection, watched for progress. */
  private void load(RecordBatch batch, boolean retrying) throws SQLException {
    FlushWatchdog watchdog = operations.watchdog();
    try (Connection connection = operations.connections().open()) {
      connection.setAutoCommit(false);
      FlushWatchdog.Watch watch = watchdog.watch(connection);
      try (watch) {
        if (retrying) {
          deleteRows(connection, batch);
          watch.progress();
        }
        // A loader reading rows notes progress as it goes; one handing the columns over whole, per batch.
        RecordBatch watched = batch.watched(new WatchedRows(batch.rows(), watch), watch::progress);
        bulkLoader.load(connection, writeTarget, layout, tables.stream(), watched);
        watch.progress();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        if (watch.timedOut()) {
          throw new FlushTimeoutException(
              "Stream '" + tables.stream().descriptor() + "': loading a batch of " + batch.size() + " records into "
                  + writeTarget.namespace() + "." + writeTarget.name() + " made no progress for "
                  + watchdog.timeout().toSeconds() + " s (destkit.flush.timeout.seconds) and was cancelled", e);
        }
        throw e;
      }
    }
  }

  /**
   * Deletes the rows after the mark, but for the kept ranges, from each table an earlier attempt's
   * batches may be in.
   */
  @Override
  public final long discardAfter(RawId mark, List<RawIdRange> kept) throws SQLException {
    // Deleting again is harmless: a retry after a lost acknowledgement finds nothing left (and counts low).
    return operations.withRetries("Removing the uncovered rows of stream '" + tables.stream().descriptor() + "'",
        attempt -> {
          long removed = 0;
          for (TableName table : tablesBatchesReach()) {
            if (operations.tableExists(table)) {
              removed += operations.deleteRowsAfter(table, mark, kept);
            }
          }
          return removed;
        });
  }

  /**
   * The tables where an earlier attempt's rows of this stream may be and must be exactly once: the
   * final table (written directly, or swapped in from the temp table) and the temp table.
   */
  protected List<TableName> tablesBatchesReach() {
    return List.of(tables.finalTable(), tables.tempTable());
  }

  /** Deletes the rows of the batch that an earlier attempt may have committed. */
  private void deleteRows(Connection connection, RecordBatch batch) throws SQLException {
    if (batch.size() == 0) {
      return;
    }
    String sql = operations.dialect().deleteRawIdRange(writeTarget);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, batch.rows().get(0).rawId().toString());
      statement.setString(2, batch.rows().get(batch.size() - 1).rawId().toString());
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + " [SQL: " + sql + "]", e.getSQLState(), e.getErrorCode(), e);
    }
  }

  /** The table batches are written to (after {@link #start()}). */
  public final TableName writeTarget() {
    return writeTarget;
  }

  /** Every column of the stream's tables: the meta columns, then the user columns. */
  protected final List<String> allColumns() {
    List<String> columns = new ArrayList<>(MetaColumns.ALL);
    for (ColumnDef column : tables.columns()) {
      columns.add(column.name());
    }
    return columns;
  }

  /**
   * Moves the rows a failed truncate left in the temp table into the final table and drops the temp
   * table, in one transaction. Those rows' states were acknowledged, so they must not be lost.
   */
  protected final void recoverTempTable() throws SQLException {
    TableStatus temp = operations.status(tables.tempTable());
    if (!temp.exists()) {
      return;
    }
    List<String> statements = new ArrayList<>();
    if (!temp.empty()) {
      operations.createOrEvolve(tables.finalTable(), tables.columns());
      operations.evolve(tables.tempTable(), tables.columns());
      statements.add(operations.dialect().copyRows(tables.tempTable(), tables.finalTable(), allColumns()));
    }
    statements.add(operations.dialect().dropTable(tables.tempTable()));
    operations.executeInTransaction(statements);
  }
}
