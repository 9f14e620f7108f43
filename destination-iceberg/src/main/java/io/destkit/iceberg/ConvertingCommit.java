package io.destkit.iceberg;

import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.RecordBatch;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * The commit of a stream whose table keeps the type of some columns ({@link KeptColumnTypes}): each
 * batch is made records of the table's schema, their kept columns converted, then written as one
 * data file and appended, or upserted by the stream's {@link DedupeCommit}.
 */
final class ConvertingCommit implements BatchCommit {
  private final Table table;
  private final KeptColumnTypes kept;
  private final BatchCommit direct;
  private final BatchRecords records;

  /** @param direct the stream's commit without conversions: an append, or a {@link DedupeCommit} */
  ConvertingCommit(Table table, StreamTables tables, KeptColumnTypes kept, BatchCommit direct) {
    this.table = table;
    this.records = new BatchRecords(table, tables);
    this.kept = kept;
    this.direct = direct;
  }

  @Override
  public void commit(RecordBatch batch, String branch) throws Exception {
    List<Record> converted = kept.convert(records.of(batch), table.schema());
    if (direct instanceof DedupeCommit dedupe) {
      dedupe.commit(converted, branch);
      return;
    }
    DataFile file = ParquetBatchWriter.write(table, converted);
    append(file, branch);
  }

  private synchronized void append(DataFile file, String branch) {
    table.newAppend().appendFile(file).toBranch(branch).commit();
  }
}
