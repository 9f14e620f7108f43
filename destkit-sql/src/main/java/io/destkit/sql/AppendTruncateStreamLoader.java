package io.destkit.sql;

import io.destkit.core.catalog.StreamTables;
import java.sql.SQLException;

/**
 * Append-truncate (minimum generation id = generation id): the new generation is written to the
 * temp table while the final table stays readable, and replaces it atomically at a complete close.
 * A failed attempt leaves the final table untouched; the next attempt of the same generation resumes
 * into the same temp table. When the final table is missing, empty or already of this generation,
 * there is nothing to protect and rows go straight into it.
 *
 * <p>The temp table has the stream's columns: a swap replaces every row of the final table, and
 * with them the columns the stream no longer has.
 */
public final class AppendTruncateStreamLoader extends DirectLoadStreamLoader {
  private boolean writingToTemp;

  public AppendTruncateStreamLoader(TableOperations operations, BulkLoader bulkLoader, StreamTables tables) {
    super(operations, bulkLoader, tables);
  }

  @Override
  protected void prepare() throws SQLException {
    long minimum = tables.stream().minimumGenerationId();
    TableStatus temp = operations.status(tables.tempTable());
    if (temp.exists()) {
      if (temp.holdsGenerationsBefore(minimum)) {
        recreate(tables.tempTable());
      }
      writingToTemp = true;
    } else {
      writingToTemp = operations.status(tables.finalTable()).holdsGenerationsBefore(minimum);
    }
    writeInto(writingToTemp ? tables.tempTable() : tables.finalTable());
  }

  @Override
  protected void finish(boolean streamCompleted, boolean retrying) throws SQLException {
    if (!streamCompleted) {
      return;
    }
    if (writingToTemp && !tempTableGone(retrying)) {
      operations.overwrite(tables.tempTable(), tables.finalTable());
    }
    operations.completeEvolution(tables.finalTable(), tables.columns());
  }
}
