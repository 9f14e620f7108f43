package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableName;
import io.destkit.core.pipeline.RecordBatch;
import io.destkit.core.write.RawId;
import io.destkit.core.write.StreamLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The common part of the direct-load stream loaders: batches are bulk-loaded straight into one
 * typed table (the final table or the stream's temp table), each batch committed on its own
 * connection. Subclasses decide, at {@link #start()}, which table that is and, at {@link #close},
 * what happens to it.
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

  @Override
  public final void write(RecordBatch batch) throws SQLException {
    try (Connection connection = operations.connections().open()) {
      connection.setAutoCommit(false);
      try {
        bulkLoader.load(connection, writeTarget, layout, tables.stream(), batch);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    }
  }

  /** Deletes the rows after the mark from each table an earlier attempt's batches may be in. */
  @Override
  public final long discardAfter(RawId mark) throws SQLException {
    long removed = 0;
    for (TableName table : tablesBatchesReach()) {
      if (operations.tableExists(table)) {
        removed += operations.deleteRowsAfter(table, mark);
      }
    }
    return removed;
  }

  /**
   * The tables where an earlier attempt's rows of this stream may be and must be exactly once: the
   * final table (written directly, or swapped in from the temp table) and the temp table.
   */
  protected List<TableName> tablesBatchesReach() {
    return List.of(tables.finalTable(), tables.tempTable());
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
