package io.destkit.duckdb;

import io.destkit.core.catalog.TableName;
import io.destkit.core.pipeline.RecordBatch;
import io.destkit.core.pipeline.Row;
import io.destkit.core.stream.DestinationStream;
import io.destkit.sql.AirbyteMeta;
import io.destkit.sql.BulkLoader;
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
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Loads batches with DuckDB's Appender: column values are written straight into DuckDB's vectors. */
final class DuckDbAppenderLoader implements BulkLoader {

  @Override
  public void load(
      Connection connection, TableName table, TargetLayout layout, DestinationStream stream, RecordBatch batch)
      throws SQLException {
    DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
    AirbyteMeta meta = new AirbyteMeta(stream.syncId());
    long generation = stream.generationId();
    int width = layout.size();
    List<Row> rows = batch.rows();
    DuckDBAppender appender = duck.createAppender(table.namespace(), table.name());
    try {
      for (Row row : rows) {
        appender.beginRow();
        Object[] values = row.values();
        for (int position = 0; position < width; position++) {
          int source = layout.source(position);
          switch (source) {
            case TargetLayout.RAW_ID -> appender.appendUUID(row.rawIdHigh(), row.rawIdLow());
            case TargetLayout.EXTRACTED_AT -> appender.appendEpochMicros(row.extractedAtMillis() * 1000L);
            case TargetLayout.META -> appender.append(meta.render(row.changes()));
            case TargetLayout.GENERATION_ID -> appender.append(generation);
            case TargetLayout.ABSENT -> appender.appendNull();
            default -> appendValue(appender, values[source]);
          }
        }
        appender.endRow();
      }
      // flush() reports errors; close() alone could hide them. (Its count covers only the last
      // chunk: the appender writes full chunks as it goes.)
      appender.flush();
    } finally {
      appender.close();
    }
  }

  private static void appendValue(DuckDBAppender appender, Object value) throws SQLException {
    if (value == null) {
      appender.appendNull();
    } else if (value instanceof String text) {
      appender.append(text);
    } else if (value instanceof Long number) {
      appender.append(number.longValue());
    } else if (value instanceof BigDecimal number) {
      appender.append(number.setScale(DuckDbDialect.NUMBER_SCALE, RoundingMode.HALF_EVEN));
    } else if (value instanceof Boolean bool) {
      appender.append(bool.booleanValue());
    } else if (value instanceof OffsetDateTime instant) {
      appender.append(instant);
    } else if (value instanceof LocalDateTime dateTime) {
      appender.append(dateTime);
    } else if (value instanceof LocalDate date) {
      appender.append(date);
    } else if (value instanceof OffsetTime time) {
      appender.append(time);
    } else if (value instanceof LocalTime time) {
      appender.append(time);
    } else {
      throw new SQLException("no DuckDB appender mapping for a value of " + value.getClass().getName());
    }
  }
}
