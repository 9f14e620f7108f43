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
import java.util.LinkedHashMap;
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
  private static final String MINIMUM_GENERATION_ID = "minimum_generation_id";
  private static final String SOURCE_STATE = "source_state";

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
    Map<String, ?> columns = operations.columns(table);
    if (!columns.containsKey(KEPT_RANGES)) {
      operations.execute(dialect.addCheckpointRangesColumn(table));
    }
    if (!columns.containsKey(MINIMUM_GENERATION_ID)) {
      operations.execute(dialect.addCheckpointColumn(table, MINIMUM_GENERATION_ID, "BIGINT"));
    }
    if (!columns.containsKey(SOURCE_STATE)) {
      operations.execute(dialect.addCheckpointColumn(table, SOURCE_STATE, "VARCHAR"));
    }
    Map<TableName, Stored> stored = operations.withRetries("Reading " + table.namespace() + "." + table.name(),
        attempt -> read(dialect));
    List<Optional<Checkpoint>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      result.add(Optional.ofNullable(stored.get(stream.finalTable())).map(Stored::checkpoint));
    }
    return result;
  }

  /**
   * What {@link #load()} read, or reads now when it has not run (the table is created or upgraded
   * first either way).
   */
  @Override
  public List<Optional<StreamProgress>> loadProgress() throws SQLException {
    load();
    Map<TableName, Stored> stored = operations.withRetries("Reading " + table.namespace() + "." + table.name(),
        attempt -> read(operations.dialect()));
    List<Optional<StreamProgress>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      result.add(Optional.ofNullable(stored.get(stream.finalTable())).map(Stored::progress));
    }
    return result;
  }

  /** One row of the checkpoint table. */
  private record Stored(Checkpoint checkpoint, StreamProgress progress) {}

  private Map<TableName, Stored> read(SqlDialect dialect) throws SQLException {
    Map<TableName, Stored> stored = new HashMap<>();
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
        boolean finished = rows.getBoolean(4);
        StreamProgress progress = new StreamProgress(
            rows.getLong(6), rows.getLong(7), rows.getLong(8), finished, rows.getString(9));
        stored.put(finalTable, new Stored(new Checkpoint(RawId.parse(rows.getString(3)), finished, kept), progress));
      }
    }
    return stored;
  }

  @Override
  public void begin(RawId floor) throws SQLException {
    SqlDialect dialect = operations.dialect();
    // In this order: the state is cleared by comparing with the generation the row had.
    Map<String, Batch> statements = new LinkedHashMap<>();
    statements.put(dialect.clearCheckpointStateOfOtherGeneration(table), statement -> {
      for (StreamTables stream : tables.tables()) {
        statement.setString(1, stream.finalTable().namespace());
        statement.setString(2, stream.finalTable().name());
        statement.setLong(3, stream.stream().generationId());
        statement.addBatch();
      }
    });
    statements.put(dialect.beginCheckpoint(table), statement -> {
      for (StreamTables stream : tables.tables()) {
        statement.setString(1, stream.finalTable().namespace());
        statement.setString(2, stream.finalTable().name());
        statement.setString(3, stream.stream().descriptor().namespace());
        statement.setString(4, stream.stream().descriptor().name());
        statement.setLong(5, stream.stream().syncId());
        statement.setLong(6, stream.stream().generationId());
        statement.setLong(7, stream.stream().minimumGenerationId());
        statement.setString(8, floor.toString());
        statement.addBatch();
      }
    });
    inTransaction(statements);
  }

  @Override
  public void advanceCoverage(Map<Integer, Coverage> coverage) throws SQLException {
    advanceCoverage(coverage, Map.of());
  }

  @Override
  public void advanceCoverage(Map<Integer, Coverage> coverage, Map<Integer, String> states) throws SQLException {
    SqlDialect dialect = operations.dialect();
    Map<String, Batch> statements = new LinkedHashMap<>();
    if (!coverage.isEmpty()) {
      statements.put(dialect.advanceCheckpoint(table, false), statement -> {
        for (Map.Entry<Integer, Coverage> covered : coverage.entrySet()) {
          addUpdate(statement, tables.get(covered.getKey()).finalTable(), covered.getValue().mark(),
              covered.getValue().keptAbove());
        }
      });
    }
    if (!states.isEmpty()) {
      statements.put(dialect.recordCheckpointState(table), statement -> {
        for (Map.Entry<Integer, String> state : states.entrySet()) {
          TableName finalTable = tables.get(state.getKey()).finalTable();
          statement.setString(1, state.getValue());
          statement.setString(2, finalTable.namespace());
          statement.setString(3, finalTable.name());
          statement.addBatch();
        }
      });
    }
    if (!statements.isEmpty()) {
      inTransaction(statements);
    }
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
    inTransaction(Map.of(sql, batch));
  }

  /** Runs several statements' batches, in the map's order, in one transaction (retried as a whole). */
  private void inTransaction(Map<String, Batch> statements) throws SQLException {
    operations.withRetries("Recording a checkpoint in " + table.namespace() + "." + table.name(), attempt -> {
      runBatches(statements);
      return null;
    });
  }

  private void runBatches(Map<String, Batch> statements) throws SQLException {
    try (Connection connection = operations.connections().open()) {
      connection.setAutoCommit(false);
      try {
        for (Map.Entry<String, Batch> entry : statements.entrySet()) {
          try (PreparedStatement statement = connection.prepareStatement(entry.getKey())) {
            entry.getValue().fill(statement);
            statement.executeBatch();
          }
        }
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
