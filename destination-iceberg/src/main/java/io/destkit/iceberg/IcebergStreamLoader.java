package io.destkit.iceberg;

import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.StreamLoader;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * What every Iceberg loader does: each batch becomes one Parquet data file, committed in one
 * append to the branch the loader writes ({@link #branch()}), and {@link #write} returns only after
 * that commit. Commits of one stream are made one at a time; the files are written in parallel.
 */
abstract class IcebergStreamLoader implements StreamLoader {
  protected final Catalog catalog;
  protected final StreamTables tables;
  protected Table table;
  private ParquetBatchWriter writer;

  IcebergStreamLoader(Catalog catalog, StreamTables tables) {
    this.catalog = catalog;
    this.tables = tables;
  }

  /** The branch batches are committed to once {@link #start()} ran. */
  protected abstract String branch();

  /** Picks the branch to write, after the table is open. */
  protected abstract void prepare();

  /**
   * Every branch of the table an earlier attempt of this stream may have written: main and the
   * branches of refreshes.
   */
  static List<String> writtenBranches(Table table) {
    List<String> branches = new java.util.ArrayList<>();
    branches.add(SnapshotRef.MAIN_BRANCH);
    table.refs().keySet().stream()
        .filter(name -> name.startsWith(AppendTruncateStreamLoader.BRANCH_PREFIX))
        .sorted()
        .forEach(branches::add);
    return branches;
  }

  @Override
  public final void start() {
    table = StreamTable.open(catalog, tables);
    prepare();
    writer = new ParquetBatchWriter(table, tables);
  }

  @Override
  public void write(RecordBatch batch) throws Exception {
    if (batch.size() == 0) {
      return;
    }
    DataFile file = writer.write(batch);
    commit(file);
  }

  private synchronized void commit(DataFile file) {
    table.newAppend().appendFile(file).toBranch(branch()).commit();
  }

  @Override
  public long discardAfter(RawId mark) throws Exception {
    Optional<Table> existing = StreamTable.load(catalog, tables.finalTable());
    if (existing.isEmpty()) {
      return 0;
    }
    long removed = 0;
    for (String branch : writtenBranches(existing.get())) {
      removed += new RowDiscard(existing.get(), tables, branch).after(mark);
    }
    return removed;
  }
}
