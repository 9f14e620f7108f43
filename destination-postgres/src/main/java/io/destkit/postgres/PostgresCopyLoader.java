package io.destkit.postgres;

import io.destkit.core.catalog.TableName;
import io.destkit.core.pipeline.RecordBatch;
import io.destkit.core.pipeline.Row;
import io.destkit.core.stream.DestinationStream;
import io.destkit.sql.AirbyteMeta;
import io.destkit.sql.BulkLoader;
import io.destkit.sql.TargetLayout;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads batches with {@code COPY ... FROM STDIN} in text format through pgjdbc's copy API: rows are
 * encoded straight from memory into the COPY stream, no temp file, no INSERT. A COPY that fails is
 * cancelled; one that ends is checked to have written every row of the batch.
 */
final class PostgresCopyLoader implements BulkLoader {
  private final PostgresDialect dialect;

  PostgresCopyLoader(PostgresDialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public void load(
      Connection connection, TableName table, TargetLayout layout, DestinationStream stream, RecordBatch batch)
      throws SQLException {
    String sql = dialect.copyFromStdin(table, columns(layout));
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    long written;
    try {
      CopyTextEncoder encoder = new CopyTextEncoder(copy::writeToCopy);
      AirbyteMeta meta = new AirbyteMeta(stream.syncId());
      long generation = stream.generationId();
      for (Row row : batch.rows()) {
        layout.writeRow(row, meta, generation, encoder);
        encoder.endRow();
      }
      encoder.flush();
      written = copy.endCopy();
    } catch (SQLException e) {
      cancel(copy, e);
      throw new SQLException(e.getMessage() + " [SQL: " + sql + "]", e.getSQLState(), e.getErrorCode(), e);
    } catch (RuntimeException | Error e) {
      cancel(copy, e);
      throw e;
    }
    if (written != batch.size()) {
      throw new SQLException(
          "COPY into " + table + " wrote " + written + " rows of a batch of " + batch.size() + " [SQL: " + sql + "]");
    }
  }

  private static List<String> columns(TargetLayout layout) {
    List<String> columns = new ArrayList<>(layout.size());
    for (int i = 0; i < layout.size(); i++) {
      columns.add(layout.columnName(i));
    }
    return columns;
  }

  /** Ends a failed COPY so the connection can be rolled back and reused; a failure to do so is kept beside the cause. */
  private static void cancel(CopyIn copy, Throwable cause) {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    } catch (SQLException | RuntimeException cancelFailure) {
      cause.addSuppressed(cancelFailure);
    }
  }
}
