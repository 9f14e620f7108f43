package io.destkit.iceberg;

import io.destkit.core.write.RecordBatch;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;

/**
 * Append: the batch becomes one Parquet data file, committed in one append. Files of several
 * batches are written at once; the commits of one table are made one at a time.
 */
final class AppendCommit implements BatchCommit {
  private final Table table;
  private final ParquetBatchWriter writer;

  AppendCommit(Table table, ParquetBatchWriter writer) {
    this.table = table;
    this.writer = writer;
  }

  @Override
  public void commit(RecordBatch batch, String branch) throws Exception {
    DataFile file = writer.write(batch);
    append(file, branch);
  }

  private synchronized void append(DataFile file, String branch) {
    table.newAppend().appendFile(file).toBranch(branch).commit();
  }
}
