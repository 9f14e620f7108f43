package io.destkit.sql;

import io.destkit.core.catalog.StreamTables;
import io.destkit.core.pipeline.RecordBatch;
import io.destkit.core.write.StreamLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Append (minimum generation id 0, no dedupe): batches go straight into the final table, each
 * committed on its own connection; nothing is replaced at close.
 */
public final class AppendStreamLoader implements StreamLoader {
  private final TableOperations operations;
  private final BulkLoader bulkLoader;
  private final StreamTables tables;
  private volatile TargetLayout layout;

  public AppendStreamLoader(TableOperations operations, BulkLoader bulkLoader, StreamTables tables) {
    this.operations = operations;
    this.bulkLoader = bulkLoader;
    this.tables = tables;
  }

  @Override
  public void start() throws SQLException {
    operations.createTable(tables.finalTable(), tables.columns(), false);
    List<String> columns = operations.addMissingColumns(tables.finalTable(), tables.columns());
    layout = TargetLayout.of(columns, tables.columns());
  }

  @Override
  public void write(RecordBatch batch) throws SQLException {
    try (Connection connection = operations.connections().open()) {
      connection.setAutoCommit(false);
      try {
        bulkLoader.load(connection, tables.finalTable(), layout, tables.stream(), batch);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    }
  }

  @Override
  public void close(boolean streamCompleted) {
    // Appended rows are final as soon as their batch commits.
  }

  static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }
}
