package io.destkit.iceberg;

import io.destkit.core.catalog.DedupeColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.StreamLoader;
import io.destkit.core.write.SyncLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * What every Iceberg loader does: each batch is committed to the branch the loader writes ({@link
 * #branch()}) by its {@link BatchCommit} (an append, or a dedupe's upsert), and {@link #write}
 * returns only after that commit.
 */
abstract class IcebergStreamLoader implements StreamLoader {
  protected final Catalog catalog;
  protected final StreamTables tables;
  private final Optional<DedupeColumns> dedupe;
  private final boolean hardDelete;
  protected final SyncLog log;
  protected Table table;
  private BatchCommit commit;

  /**
   * @param dedupe the columns that dedupe the stream, or empty to append
   * @param hardDelete whether a winning CDC delete removes its key (else its tombstone row is kept)
   * @param log where the user reads of the table's columns the stream no longer has
   */
  IcebergStreamLoader(
      Catalog catalog, StreamTables tables, Optional<DedupeColumns> dedupe, boolean hardDelete, SyncLog log) {
    this.catalog = catalog;
    this.log = log;
    this.tables = tables;
    this.dedupe = dedupe;
    this.hardDelete = hardDelete;
  }

  /** The branch batches are committed to once {@link #start()} ran. */
  protected abstract String branch();

  /** Picks the branch to write, after the table is open; {@code commit} commits batches. */
  protected abstract void prepare(BatchCommit commit) throws IOException;

  /**
   * Every branch of the table an earlier attempt of this stream may have written: main and the
   * branches of refreshes.
   */
  static List<String> writtenBranches(Table table) {
    List<String> branches = new ArrayList<>();
    branches.add(SnapshotRef.MAIN_BRANCH);
    table.refs().keySet().stream()
        .filter(name -> name.startsWith(TruncateStreamLoader.BRANCH_PREFIX))
        .sorted()
        .forEach(branches::add);
    return branches;
  }

  @Override
  public final void start() throws IOException {
    StreamTable.Opened opened = StreamTable.open(catalog, tables, log);
    table = opened.table();
    ParquetBatchWriter writer = new ParquetBatchWriter(table, tables);
    BatchCommit direct = dedupe.<BatchCommit>map(key -> new DedupeCommit(table, tables, writer, key, hardDelete))
        .orElseGet(() -> new AppendCommit(table, writer));
    commit = opened.keptTypes().isEmpty()
        ? direct
        : new ConvertingCommit(table, tables, opened.keptTypes(), direct);
    // The rows a cancelled refresh left are read from the table, in its types already.
    prepare(direct);
  }

  @Override
  public void write(RecordBatch batch) throws Exception {
    if (batch.size() == 0) {
      return;
    }
    commit.commit(batch, branch());
  }

  @Override
  public long discardAfter(RawId mark, List<RawIdRange> kept) throws Exception {
    Optional<Table> existing = StreamTable.load(catalog, tables.finalTable());
    if (existing.isEmpty()) {
      return 0;
    }
    long removed = 0;
    for (String branch : writtenBranches(existing.get())) {
      removed += new RowDiscard(existing.get(), tables, branch).after(mark, kept);
    }
    return removed;
  }
}
