package io.destkit.core.pipeline;

import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.core.write.StreamLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A real, in-memory {@link StreamLoader}: it keeps every batch it is given, so tests can see what
 * the pipeline wrote and when. A batch is "committed" when {@link #write} returns.
 */
public final class RecordingLoader implements StreamLoader {
  /** Decides whether a write fails; gets the number of the write (1-based) and the batch. */
  public interface WriteFailure {
    boolean fails(int writeNumber, RecordBatch batch);
  }

  private final StreamTables tables;
  private final List<RecordBatch> batches = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstWrite = new CountDownLatch(1);
  private volatile WriteFailure failure = (n, batch) -> false;
  private volatile Consumer<RecordBatch> beforeWrite = batch -> { };
  private int writes;
  private volatile boolean started;
  private volatile Boolean closedWith;
  private volatile int closeCount;
  private volatile RawId discardedAfter;
  private volatile List<RawIdRange> discardedKeeping;

  public RecordingLoader(StreamTables tables) {
    this.tables = tables;
  }

  public RecordingLoader failingWhen(WriteFailure failure) {
    this.failure = failure;
    return this;
  }

  /** Runs on the flush thread as each write starts, before it is committed. */
  public RecordingLoader beforeEachWrite(Consumer<RecordBatch> action) {
    this.beforeWrite = action;
    return this;
  }

  @Override
  public void start() {
    started = true;
  }

  @Override
  public void write(RecordBatch batch) {
    int number;
    synchronized (this) {
      number = ++writes;
    }
    beforeWrite.accept(batch);
    if (failure.fails(number, batch)) {
      throw new IllegalStateException("disk full on write " + number);
    }
    // The pipeline frees a batch's columns when its write returns: keep a copy of its rows.
    batches.add(new RecordBatch(batch.streamIndex(), batch.firstSequence(), List.copyOf(batch.rows()), batch.bytes()));
    firstWrite.countDown();
  }

  /**
   * Removes the kept rows whose raw id is greater than the mark and in no kept range, as a database
   * loader deletes them.
   */
  @Override
  public synchronized long discardAfter(RawId mark, List<RawIdRange> keptRanges) {
    discardedAfter = mark;
    discardedKeeping = List.copyOf(keptRanges);
    List<RawIdRange> ascending = RawIdRange.above(mark, keptRanges);
    long removed = 0;
    List<RecordBatch> kept = new ArrayList<>();
    for (RecordBatch batch : batches) {
      List<Row> rows = batch.rows().stream()
          .filter(row -> {
            RawId id = new RawId(row.rawIdHigh(), row.rawIdLow());
            return id.compareTo(mark) <= 0 || RawIdRange.anyContains(ascending, id);
          })
          .toList();
      removed += batch.size() - rows.size();
      if (!rows.isEmpty()) {
        kept.add(new RecordBatch(batch.streamIndex(), batch.firstSequence(), rows, batch.bytes()));
      }
    }
    batches.clear();
    batches.addAll(kept);
    return removed;
  }

  /** The mark of the last {@link #discardAfter}, or null. */
  public RawId discardedAfter() {
    return discardedAfter;
  }

  /** The kept ranges of the last {@link #discardAfter}, or null. */
  public List<RawIdRange> discardedKeeping() {
    return discardedKeeping;
  }

  @Override
  public void close(boolean streamCompleted) {
    closedWith = streamCompleted;
    closeCount++;
  }

  public boolean started() {
    return started;
  }

  /** The flag of the last close, or null when not closed. */
  public Boolean closedWith() {
    return closedWith;
  }

  public int closeCount() {
    return closeCount;
  }

  public CountDownLatch firstWrite() {
    return firstWrite;
  }

  /** The batches written, in sequence order (flush threads may finish out of order). */
  public List<RecordBatch> batches() {
    List<RecordBatch> sorted = new ArrayList<>(batches);
    sorted.sort(Comparator.comparingLong(RecordBatch::firstSequence));
    return sorted;
  }

  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    batches().forEach(batch -> rows.addAll(batch.rows()));
    return rows;
  }

  /** A row's values by source field name ({@code _airbyte_data} for a schemaless stream). */
  public Map<String, Object> valuesOf(Row row) {
    Map<String, Object> values = new LinkedHashMap<>();
    List<ColumnDef> columns = tables.columns();
    for (int i = 0; i < columns.size(); i++) {
      ColumnDef column = columns.get(i);
      values.put(column.sourceName() == null ? column.name() : column.sourceName(), row.values()[i]);
    }
    return values;
  }

  public List<Map<String, Object>> values() {
    return rows().stream().map(this::valuesOf).toList();
  }
}
