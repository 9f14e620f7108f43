package io.destkit.iceberg;

import io.destkit.core.catalog.StreamTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Append (minimum generation id 0): every batch is committed to the table's main branch. Rows a
 * cancelled refresh left on its branch (their STATEs were emitted) are added to main first, and
 * the branch removed, in one commit.
 */
final class DirectStreamLoader extends IcebergStreamLoader {
  DirectStreamLoader(Catalog catalog, StreamTables tables, java.util.Optional<DedupeKey> dedupe) {
    super(catalog, tables, dedupe);
  }

  @Override
  protected String branch() {
    return SnapshotRef.MAIN_BRANCH;
  }

  @Override
  protected void prepare() {
    List<String> refreshes = table.refs().keySet().stream()
        .filter(name -> name.startsWith(TruncateStreamLoader.BRANCH_PREFIX))
        .sorted()
        .toList();
    if (refreshes.isEmpty()) {
      return;
    }
    Set<String> onMain = locations(SnapshotRef.MAIN_BRANCH);
    Transaction transaction = table.newTransaction();
    AppendFiles append = transaction.newAppend();
    boolean added = false;
    for (String refresh : refreshes) {
      // Only the files the refresh added: the ones it shares with main are main's already.
      for (DataFile file : files(refresh)) {
        if (onMain.add(file.location())) {
          append.appendFile(file);
          added = true;
        }
      }
    }
    if (added) {
      append.commit();
    }
    org.apache.iceberg.ManageSnapshots remove = transaction.manageSnapshots();
    refreshes.forEach(remove::removeBranch);
    remove.commit();
    transaction.commitTransaction();
  }

  private Set<String> locations(String ref) {
    Set<String> locations = new HashSet<>();
    files(ref).forEach(file -> locations.add(file.location()));
    return locations;
  }

  private List<DataFile> files(String ref) {
    List<DataFile> files = new ArrayList<>();
    if (table.snapshot(ref) == null) {
      return files;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useRef(ref).planFiles()) {
      tasks.forEach(task -> files.add(task.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }


  @Override
  public void close(boolean streamCompleted) {
    // Every batch was committed when its write returned.
  }
}
