package io.destkit.duckdb;

import io.destkit.core.catalog.TableName;
import io.destkit.core.pipeline.RecordBatch;
import io.destkit.core.pipeline.Row;
import io.destkit.core.stream.DestinationStream;
import io.destkit.sql.AirbyteMeta;
import io.destkit.sql.BulkLoader;
import io.destkit.sql.RowWriter;
import io.destkit.sql.TargetLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Loads batches with DuckDB's Appender: column values are written straight into DuckDB's vectors. */
final class DuckDbAppenderLoader implements BulkLoader {

  @Override
  public void load(
      Connection connection, TableName table, TargetLayout layout, DestinationStream stream, RecordBatch batch)
      throws SQLException {
    DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
    // The appender writes each full chunk (2,048 rows) into the table as it goes, inside the
    // connection's transaction when one is open, else in a transaction of its own that commits at
    // once. With auto-commit off a transaction opens at the first statement: run one, so that the
    // whole batch commits (or rolls back) together and no row of it is visible before its commit.
    if (!connection.getAutoCommit()) {
      try (java.sql.Statement open = connection.createStatement()) {
        open.execute("SELECT 1");
      }
    }
    AirbyteMeta meta = new AirbyteMeta(stream.syncId());
    long generation = stream.generationId();
    // try-with-resources: when a row or the flush fails, that error is the one thrown, and a failure
    // of close() after it is attached as suppressed rather than replacing it.
    try (DuckDBAppender appender = duck.createAppender(table.namespace(), table.name())) {
      AppenderRow out = new AppenderRow(appender);
      for (Row row : batch.rows()) {
        appender.beginRow();
        layout.writeRow(row, meta, generation, out);
        appender.endRow();
      }
      // flush() reports errors; close() flushes too but drops its errors. (The count flush returns
      // covers only the last chunk: the appender writes full chunks as it goes.)
      appender.flush();
    }
  }

  /** One row's values into the appender's current row. */
  private record AppenderRow(DuckDBAppender appender) implements RowWriter {
    @Override
    public void rawId(long high, long low) throws SQLException {
      appender.appendUUID(high, low);
    }

    @Override
    public void extractedAt(long epochMillis) throws SQLException {
      appender.appendEpochMicros(epochMillis * 1000L);
    }

    @Override
    public void meta(String json) throws SQLException {
      appender.append(json);
    }

    @Override
    public void generationId(long generationId) throws SQLException {
      appender.append(generationId);
    }

    @Override
    public void nullValue() throws SQLException {
      appender.appendNull();
    }

    @Override
    public void string(String value) throws SQLException {
      appender.append(value);
    }

    @Override
    public void integer(long value) throws SQLException {
      appender.append(value);
    }

    @Override
    public void number(BigDecimal value) throws SQLException {
      // The appender takes exactly the column's scale. DuckDbValueLimits has rounded (and recorded)
      // any finer value, so this only adds zeros; a value it missed fails rather than change.
      appender.append(value.setScale(DuckDbDialect.NUMBER_SCALE, RoundingMode.UNNECESSARY));
    }

    @Override
    public void bool(boolean value) throws SQLException {
      appender.append(value);
    }

    @Override
    public void date(LocalDate value) throws SQLException {
      appender.append(value);
    }

    @Override
    public void timestampWithTimezone(OffsetDateTime value) throws SQLException {
      appender.append(value);
    }

    @Override
    public void timestampWithoutTimezone(LocalDateTime value) throws SQLException {
      appender.append(value);
    }

    @Override
    public void timeWithTimezone(OffsetTime value) throws SQLException {
      appender.append(value);
    }

    @Override
    public void timeWithoutTimezone(LocalTime value) throws SQLException {
      appender.append(value);
    }
  }
}
