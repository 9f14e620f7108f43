package io.destkit.iceberg;

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
  private final ParquetBatchWriter writer;
  private final KeptColumnTypes kept;
  private final BatchCommit direct;

  /** @param direct the stream's commit without conversions: an append, or a {@link DedupeCommit} */
  ConvertingCommit(Table table, ParquetBatchWriter writer, KeptColumnTypes kept, BatchCommit direct) {
    this.table = table;
    this.writer = writer;
    this.kept = kept;
    this.direct = direct;
  }

  @Override
  public void commit(RecordBatch batch, String branch) throws Exception {
    List<Record> records = kept.convert(writer.records(batch), table.schema());
    if (direct instanceof DedupeCommit dedupe) {
      dedupe.commit(records, branch);
      return;
    }
    DataFile file = ParquetBatchWriter.write(table, records);
    append(file, branch);
  }

  private synchronized void append(DataFile file, String branch) {
    table.newAppend().appendFile(file).toBranch(branch).commit();
  }
}
