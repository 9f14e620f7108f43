package io.destkit.iceberg;

import io.destkit.core.catalog.DedupeColumns;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.SyncLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.io.DataWriter;

/**
 * Minimum generation 0 (append or dedupe): every batch is committed to the table's main branch.
 * Rows a cancelled refresh committed to its branch (their STATEs were printed) are carried to
 * main first, and the branch removed: appended, in the same commit; or deduplicated against main
 * (which a replay after a crash repeats harmlessly), then the branch removed.
 */
final class DirectStreamLoader extends IcebergStreamLoader {
  /** Rows of a cancelled refresh carried to main per dedupe commit. */
  private static final int RECOVERY_CHUNK = 10_000;

  private final boolean dedupe;
  private final boolean dropRemovedColumns;

  DirectStreamLoader(Catalog catalog, StreamTables tables, Optional<DedupeColumns> dedupe, boolean hardDelete,
      boolean dropRemovedColumns, SyncLog log) {
    super(catalog, tables, dedupe, hardDelete, log);
    this.dedupe = dedupe.isPresent();
    this.dropRemovedColumns = dropRemovedColumns;
  }

  @Override
  protected String branch() {
    return SnapshotRef.MAIN_BRANCH;
  }

  @Override
  protected void prepare(BatchCommit commit) throws IOException {
    List<String> refreshes = table.refs().keySet().stream()
        .filter(name -> name.startsWith(TruncateStreamLoader.BRANCH_PREFIX))
        .sorted()
        .toList();
    for (String refresh : refreshes) {
      if (dedupe) {
        upsertRowsOf(refresh, (DedupeCommit) commit);
        table.manageSnapshots().removeBranch(refresh).commit();
      } else {
        appendRowsOf(refresh);
      }
    }
  }

  /**
   * The rows the refresh wrote: those of its generation (or later) on its branch, deletes applied.
   * The branch's older rows were main's.
   */
  private CloseableIterable<Record> rowsOf(String refresh) {
    long generation = Long.parseLong(refresh.substring(TruncateStreamLoader.BRANCH_PREFIX.length()));
    return IcebergGenerics.read(table)
        .useSnapshot(table.snapshot(refresh).snapshotId())
        .where(Expressions.greaterThanOrEqual(MetaColumns.GENERATION_ID, generation))
        .build();
  }

  private void appendRowsOf(String refresh) throws IOException {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer = ParquetBatchWriter.dataWriter(table, table.io().newOutputFile(location));
    long rows = 0;
    try (writer; CloseableIterable<Record> records = rowsOf(refresh)) {
      for (Record record : records) {
        writer.write(record);
        rows++;
      }
    }
    Transaction transaction = table.newTransaction();
    if (rows > 0) {
      transaction.newAppend().appendFile(writer.toDataFile()).commit();
    } else {
      table.io().deleteFile(location);
    }
    transaction.manageSnapshots().removeBranch(refresh).commit();
    transaction.commitTransaction();
  }

  private void upsertRowsOf(String refresh, DedupeCommit commit) throws IOException {
    List<Record> chunk = new ArrayList<>();
    try (CloseableIterable<Record> records = rowsOf(refresh)) {
      for (Record record : records) {
        chunk.add(record.copy());
        if (chunk.size() == RECOVERY_CHUNK) {
          commit.commit(chunk, SnapshotRef.MAIN_BRANCH);
          chunk = new ArrayList<>();
        }
      }
    }
    if (!chunk.isEmpty()) {
      commit.commit(chunk, SnapshotRef.MAIN_BRANCH);
    }
  }

  /**
   * Every batch was committed when its write returned. With {@code drop_removed_columns}, a sync
   * that completed the stream then drops the table's columns the stream no longer has, in one
   * schema update (the data files keep their values; readers no longer see them).
   */
  @Override
  public void close(boolean streamCompleted) {
    if (!streamCompleted || !dropRemovedColumns || table == null) {
      return;
    }
    table.refresh();
    List<String> removed = StreamTable.columnsNotInTheStream(table, tables);
    if (removed.isEmpty()) {
      return;
    }
    UpdateSchema drop = table.updateSchema();
    removed.forEach(drop::deleteColumn);
    drop.commit();
    log.info("Table " + tables.finalTable().namespace() + "." + tables.finalTable().name() + ": dropped columns "
        + String.join(", ", removed) + ", which the stream no longer has.");
  }
}
