package io.destkit.postgres;

import io.destkit.core.catalog.TableName;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import io.destkit.core.stream.DestinationStream;
import io.destkit.sql.AirbyteMeta;
import io.destkit.sql.BulkLoader;
import io.destkit.sql.TargetLayout;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads batches with {@code COPY ... FROM STDIN} through pgjdbc's copy API, in binary or text format
 * ({@link CopyFormat}): rows are encoded straight from memory into the COPY stream, no temp file, no
 * INSERT. A table with a column type the binary encoder does not know is loaded in text. A COPY that
 * fails is cancelled; one that ends is checked to have written every row of the batch.
 */
final class PostgresCopyLoader implements BulkLoader {
  private final PostgresDialect dialect;
  private final CopyFormat format;
  /** The binary encoder's buffers, reused across loads (one per concurrent load). */
  private final Queue<byte[]> buffers = new ConcurrentLinkedQueue<>();

  /** With the format of the system property {@value CopyFormat#PROPERTY}. */
  PostgresCopyLoader(PostgresDialect dialect) {
    this(dialect, CopyFormat.configured());
  }

  PostgresCopyLoader(PostgresDialect dialect, CopyFormat format) {
    this.dialect = dialect;
    this.format = format;
  }

  CopyFormat format() {
    return format;
  }

  @Override
  public void load(
      Connection connection, TableName table, TargetLayout layout, DestinationStream stream, RecordBatch batch)
      throws SQLException {
    CopyBinaryEncoder.Kind[] kinds = format == CopyFormat.BINARY ? CopyBinaryEncoder.kinds(layout, dialect) : null;
    String sql = dialect.copyFromStdin(table, columns(layout), kinds != null);
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    long written;
    CopyBinaryEncoder binary = null;
    try {
      CopyEncoder encoder;
      if (kinds != null) {
        byte[] buffer = buffers.poll();
        binary = new CopyBinaryEncoder(copy::writeToCopy, kinds, buffer != null ? buffer : new byte[CopyBinaryEncoder.BUFFER_BYTES]);
        encoder = binary;
      } else {
        encoder = new CopyTextEncoder(copy::writeToCopy);
      }
      AirbyteMeta meta = new AirbyteMeta(stream.syncId());
      long generation = stream.generationId();
      if (binary != null && batch.columns().isPresent()) {
        binary.rows(batch.columns().get(), layout, meta, generation, batch.progressNote());
      } else {
        for (Row row : batch.rows()) {
          encoder.startRow();
          layout.writeRow(row, meta, generation, encoder);
          encoder.endRow();
        }
      }
      encoder.finish();
      written = copy.endCopy();
    } catch (SQLException e) {
      cancel(copy, e);
      throw new SQLException(e.getMessage() + " [SQL: " + sql + "]", e.getSQLState(), e.getErrorCode(), e);
    } catch (RuntimeException | Error e) {
      cancel(copy, e);
      throw e;
    } finally {
      if (binary != null && binary.buffer().length <= 4 * CopyBinaryEncoder.BUFFER_BYTES) {
        buffers.offer(binary.buffer()); // one grown for a huge value is left to the garbage collector
      }
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
