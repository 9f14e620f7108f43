package io.destkit.iceberg;

import io.destkit.core.catalog.DedupeColumns;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.SyncLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A truncate refresh (minimum generation id = generation id; append-truncate or dedupe-truncate,
 * by its {@link BatchCommit}): the new generation is committed to a branch of the table, {@code
 * destkit_refresh_<generation id>}, while main, what readers see, keeps the old rows. At a
 * complete close main is set to the branch's snapshot and the branch removed, in one commit:
 * readers see the old table or the new one, never a mix. An incomplete close leaves both as they
 * are; the next attempt of the same generation resumes into the branch (rows of older generations
 * that reached it are removed first). When main holds no row of an older generation there is
 * nothing to protect, and rows go straight into main.
 */
final class TruncateStreamLoader extends IcebergStreamLoader {
  static final String BRANCH_PREFIX = "destkit_refresh_";

  private String branch;

  TruncateStreamLoader(
      Catalog catalog, StreamTables tables, Optional<DedupeColumns> dedupe, boolean hardDelete, SyncLog log) {
    super(catalog, tables, dedupe, hardDelete, log);
  }

  /** The branch of this stream's generation. */
  String refreshBranch() {
    return BRANCH_PREFIX + tables.stream().generationId();
  }

  @Override
  protected String branch() {
    return branch;
  }

  @Override
  protected void prepare(BatchCommit commit) {
    removeOtherRefreshBranches();
    if (table.refs().containsKey(refreshBranch())) {
      branch = refreshBranch();
    } else if (!filesOfOlderGenerations(SnapshotRef.MAIN_BRANCH).isEmpty()) {
      table.manageSnapshots().createBranch(refreshBranch()).commit();
      branch = refreshBranch();
    } else {
      branch = SnapshotRef.MAIN_BRANCH;
      return;
    }
    List<FileScanTask> older = filesOfOlderGenerations(branch);
    if (!older.isEmpty()) {
      DeleteFiles delete = table.newDelete().toBranch(branch);
      older.forEach(task -> delete.deleteFile(task.file()));
      delete.commit();
    }
  }

  /** Branches of refreshes of other generations, abandoned: this generation replaces them. */
  private void removeOtherRefreshBranches() {
    List<String> abandoned = new ArrayList<>();
    for (String name : table.refs().keySet()) {
      if (name.startsWith(BRANCH_PREFIX) && !name.equals(refreshBranch())) {
        abandoned.add(name);
      }
    }
    if (!abandoned.isEmpty()) {
      ManageSnapshots remove = table.manageSnapshots();
      abandoned.forEach(remove::removeBranch);
      remove.commit();
    }
  }

  /**
   * The data files of a branch that may hold rows of a generation before this one (or of none, as
   * rows written by other tools). One batch holds one generation, so a file is old or new as a whole.
   */
  private List<FileScanTask> filesOfOlderGenerations(String ref) {
    if (table.snapshot(ref) == null) {
      return List.of();
    }
    Expression older = Expressions.or(
        Expressions.isNull(MetaColumns.GENERATION_ID),
        Expressions.lessThan(MetaColumns.GENERATION_ID, tables.stream().minimumGenerationId()));
    List<FileScanTask> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useRef(ref).filter(older).planFiles()) {
      tasks.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  @Override
  public void close(boolean streamCompleted) {
    if (!streamCompleted || SnapshotRef.MAIN_BRANCH.equals(branch)) {
      return;
    }
    // The new generation replaces every old row, and with them the values of the columns the
    // stream no longer has: the table is left with the stream's columns, in the same commit.
    Transaction replace = table.newTransaction();
    List<String> removed = StreamTable.columnsNotInTheStream(table, tables);
    if (!removed.isEmpty()) {
      UpdateSchema drop = replace.updateSchema();
      removed.forEach(drop::deleteColumn);
      drop.commit();
    }
    replace.manageSnapshots()
        .replaceBranch(SnapshotRef.MAIN_BRANCH, branch)
        .removeBranch(branch)
        .commit();
    replace.commitTransaction();
  }
}
