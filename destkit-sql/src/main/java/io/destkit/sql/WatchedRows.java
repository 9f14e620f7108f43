package io.destkit.sql;

import io.destkit.core.write.Row;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A batch's rows as a bulk loader reads them, noting progress to the load's watch every {@value
 * #EVERY} rows: a load that keeps handing rows to the database is never cancelled, however long it
 * takes.
 */
final class WatchedRows extends AbstractList<Row> implements RandomAccess {
  private static final int EVERY = 256;

  private final List<Row> rows;
  private final FlushWatchdog.Watch watch;

  WatchedRows(List<Row> rows, FlushWatchdog.Watch watch) {
    this.rows = rows;
    this.watch = watch;
  }

  @Override
  public Row get(int index) {
    if (index % EVERY == 0) {
      watch.progress();
    }
    return rows.get(index);
  }

  @Override
  public int size() {
    return rows.size();
  }
}
