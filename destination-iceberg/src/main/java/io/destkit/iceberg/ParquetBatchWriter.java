package io.destkit.iceberg;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/**
 * Writes rows of a stream's batch as one Parquet data file of its table (zstd), not yet committed:
 * the caller commits the returned file. The values go from the batch's Arrow vectors straight to
 * the Parquet columns ({@link BatchRowWriter}); the file's metrics are Iceberg's. Rows read back
 * from a table (a refresh's rows carried to main) are written with Iceberg's generic writer
 * ({@link #write(Table, List)}), since they come as its records.
 */
final class ParquetBatchWriter {
  /** Work on a batch's columns. */
  @FunctionalInterface
  interface ColumnsWork<T> {
    T apply(BatchColumns columns) throws IOException;
  }

  private final Table table;
  private final StreamTables tables;
  private final Schema schema;

  /** @param table the table as loaded after its schema was made to hold every column of the stream */
  ParquetBatchWriter(Table table, StreamTables tables) {
    this.table = table;
    this.tables = tables;
    this.schema = table.schema();
  }

  /** Writes the batch's records to a new data file of the table and returns it, uncommitted. */
  DataFile write(RecordBatch batch) throws IOException {
    return onColumns(batch, columns -> write(columns, null, batch::progress));
  }

  /**
   * Runs {@code work} on the batch's columns: the pipeline's, or for a batch made of rows (tests,
   * tools), its rows built into columns for the time of the work.
   */
  <T> T onColumns(RecordBatch batch, ColumnsWork<T> work) throws IOException {
    if (batch.columns().isPresent()) {
      return work.apply(batch.columns().get());
    }
    try (BufferAllocator allocator = new RootAllocator();
        BatchColumns columns = columnsOf(batch.rows(), tables.columns(), allocator)) {
      return work.apply(columns);
    }
  }

  private static BatchColumns columnsOf(List<Row> rows, List<ColumnDef> columns, BufferAllocator allocator) {
    try (BatchColumns.Builder builder = new BatchColumns.Builder(columns, IcebergTypes.NUMBERS, allocator)) {
      for (Row row : rows) {
        builder.append(row.rawIdHigh(), row.rawIdLow(), row.extractedAtMillis(), row.changes(), row.values());
      }
      return builder.drain();
    }
  }

  /**
   * Writes rows of the batch's columns to a new data file of the table and returns it, uncommitted.
   *
   * @param rows the rows to write, in this order, or null for all of them
   * @param progress noted now and then while the rows are written
   */
  DataFile write(BatchColumns columns, int[] rows, Runnable progress) throws IOException {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<BatchRowWriter.Cursor> writer = Parquet.writeData(table.io().newOutputFile(location))
        .schema(schema)
        .setAll(table.properties())
        .set(TableProperties.PARQUET_COMPRESSION, "zstd")
        .metricsConfig(MetricsConfig.forTable(table))
        .createWriterFunc(parquet -> new BatchRowWriter(schema, parquet, tables))
        .withSpec(table.spec())
        .overwrite()
        .build();
    boolean written = false;
    try {
      BatchRowWriter.Cursor cursor = new BatchRowWriter.Cursor();
      cursor.batch(columns);
      int size = rows == null ? columns.size() : rows.length;
      for (int i = 0; i < size; i++) {
        cursor.row(rows == null ? i : rows[i]);
        writer.write(cursor);
        if ((i & 0x3FFF) == 0x3FFF) {
          progress.run();
        }
      }
      written = true;
    } finally {
      try {
        writer.close();
      } catch (IOException | RuntimeException e) {
        if (written) {
          throw e;
        }
      }
      if (!written) {
        table.io().deleteFile(location);
      }
    }
    return writer.toDataFile();
  }

  /** Writes records of the table's schema (rows read back from it) to a new data file and returns it, uncommitted. */
  static DataFile write(Table table, List<Record> records) throws IOException {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer = dataWriter(table, table.io().newOutputFile(location));
    try (writer) {
      for (Record record : records) {
        writer.write(record);
      }
    }
    return writer.toDataFile();
  }

  /** A writer of records (Iceberg's generic writer) to one new data file of the table: zstd Parquet, with the table's metrics. */
  static DataWriter<Record> dataWriter(Table table, OutputFile file) throws IOException {
    return Parquet.writeData(file)
        .schema(table.schema())
        .setAll(table.properties())
        .set(TableProperties.PARQUET_COMPRESSION, "zstd")
        .metricsConfig(MetricsConfig.forTable(table))
        .createWriterFunc(GenericParquetWriter::create)
        .withSpec(table.spec())
        .overwrite()
        .build();
  }
}
