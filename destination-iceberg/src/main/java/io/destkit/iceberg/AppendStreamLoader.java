package io.destkit.iceberg;

import io.destkit.core.catalog.StreamTables;
import java.util.List;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/** Append (minimum generation id 0): every batch is committed to the table's main branch. */
final class AppendStreamLoader extends IcebergStreamLoader {
  AppendStreamLoader(Catalog catalog, StreamTables tables) {
    super(catalog, tables);
  }

  @Override
  protected String branch() {
    return SnapshotRef.MAIN_BRANCH;
  }

  @Override
  protected void prepare() {
    // Rows go straight to main.
  }

  @Override
  protected List<String> writtenBranches(Table table) {
    return main();
  }

  @Override
  public void close(boolean streamCompleted) {
    // Every batch was committed when its write returned.
  }
}
