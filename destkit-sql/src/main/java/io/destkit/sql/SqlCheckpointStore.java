package io.destkit.sql;

import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint table of a SQL destination, {@value #TABLE_NAME}, in the kit's internal namespace
 * ({@link TableCatalog#internalNamespace()}): one row per final table, its mark in {@code
 * committed_raw_id} and the ranges kept above the mark in {@code kept_ranges} (text, {@link
 * RawIdRange#format}; empty or NULL for none). A table created before {@code kept_ranges} existed
 * gets the column at {@link #load()}, its rows reading as no range kept. Each call is one short
 * transaction on its own connection; {@link #advanceCoverage} is one UPDATE per stream it moves, sent
 * as one batch.
 */
public final class SqlCheckpointStore implements CheckpointStore {
  public static final String TABLE_NAME = "_destkit_sync_checkpoints";
  private static final String KEPT_RANGES = "kept_ranges";

  private final TableOperations operations;
  private final TableCatalog tables;
  private final TableName table;

  public SqlCheckpointStore(TableOperations operations, TableCatalog tables) {
    this.operations = operations;
    this.tables = tables;
    this.table = new TableName(tables.internalNamespace(), TABLE_NAME);
  }

  /** The checkpoint table's name. */
  public TableName table() {
    return table;
  }

  @Override
  public List<Optional<Checkpoint>> load() throws SQLException {
    SqlDialect dialect = operations.dialect();
    operations.createNamespace(table.namespace());
    operations.execute(dialect.createCheckpointTable(table));
    if (!operations.columns(table).containsKey(KEPT_RANGES)) {
      operations.execute(dialect.addCheckpointRangesColumn(table));
    }
    Map<TableName, Checkpoint> stored = operations.withRetries("Reading " + table.namespace() + "." + table.name(),
        attempt -> read(dialect));
    List<Optional<Checkpoint>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      result.add(Optional.ofNullable(stored.get(stream.finalTable())));
    }
    return result;
  }

  private Map<TableName, Checkpoint> read(SqlDialect dialect) throws SQLException {
    Map<TableName, Checkpoint> stored = new HashMap<>();
    try (Connection connection = operations.connections().open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(dialect.selectCheckpoints(table))) {
      while (rows.next()) {
        TableName finalTable = new TableName(rows.getString(1), rows.getString(2));
        List<RawIdRange> kept;
        try {
          kept = RawIdRange.parseList(rows.getString(5));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("The checkpoint of table " + finalTable.namespace() + "." + finalTable.name()
              + " in " + table.namespace() + "." + table.name() + " has unreadable kept_ranges: " + e.getMessage(), e);
        }
        stored.put(finalTable, new Checkpoint(RawId.parse(rows.getString(3)), rows.getBoolean(4), kept));
      }
    }
    return stored;
  }

  @Override
  public void begin(RawId floor) throws SQLException {
    inTransaction(operations.dialect().beginCheckpoint(table), statement -> {
      for (StreamTables stream : tables.tables()) {
        statement.setString(1, stream.finalTable().namespace());
        statement.setString(2, stream.finalTable().name());
        statement.setString(3, stream.stream().descriptor().namespace());
        statement.setString(4, stream.stream().descriptor().name());
        statement.setLong(5, stream.stream().syncId());
        statement.setLong(6, stream.stream().generationId());
        statement.setString(7, floor.toString());
        statement.addBatch();
      }
    });
  }

  @Override
  public void advanceCoverage(Map<Integer, Coverage> coverage) throws SQLException {
    inTransaction(operations.dialect().advanceCheckpoint(table, false), statement -> {
      for (Map.Entry<Integer, Coverage> covered : coverage.entrySet()) {
        addUpdate(statement, tables.get(covered.getKey()).finalTable(), covered.getValue().mark(),
            covered.getValue().keptAbove());
      }
    });
  }

  @Override
  public void finish(RawId end) throws SQLException {
    inTransaction(operations.dialect().advanceCheckpoint(table, true), statement -> {
      for (StreamTables stream : tables.tables()) {
        addUpdate(statement, stream.finalTable(), end, List.of());
      }
    });
  }

  private static void addUpdate(PreparedStatement statement, TableName finalTable, RawId mark, List<RawIdRange> kept)
      throws SQLException {
    statement.setString(1, mark.toString());
    statement.setString(2, RawIdRange.format(kept));
    statement.setString(3, finalTable.namespace());
    statement.setString(4, finalTable.name());
    statement.addBatch();
  }

  @FunctionalInterface
  private interface Batch {
    void fill(PreparedStatement statement) throws SQLException;
  }

  /**
   * Runs one prepared statement's batch in one transaction, retried on a transient failure (each
   * statement sets a value, so running it again is harmless).
   */
  private void inTransaction(String sql, Batch batch) throws SQLException {
    operations.withRetries("Recording a checkpoint in " + table.namespace() + "." + table.name(), attempt -> {
      runBatch(sql, batch);
      return null;
    });
  }

  private void runBatch(String sql, Batch batch) throws SQLException {
    try (Connection connection = operations.connections().open()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        batch.fill(statement);
        statement.executeBatch();
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
}
