package io.destkit.sql;

import io.destkit.core.catalog.StreamTables;
import java.sql.SQLException;

/**
 * Append (minimum generation id 0, no dedupe): batches go straight into the final table; nothing is
 * replaced at close. Rows a cancelled truncate left in the temp table are appended first.
 */
public final class AppendStreamLoader extends DirectLoadStreamLoader {

  public AppendStreamLoader(TableOperations operations, BulkLoader bulkLoader, StreamTables tables) {
    super(operations, bulkLoader, tables);
  }

  @Override
  protected void prepare() throws SQLException {
    recoverTempTable();
    writeInto(tables.finalTable());
  }

  /** Appended rows are final as soon as their batch commits; only the deferred schema change is left. */
  @Override
  protected void finish(boolean streamCompleted, boolean retrying) throws SQLException {
    if (streamCompleted) {
      operations.completeEvolution(tables.finalTable(), tables.columns());
    }
  }
}
