package io.destkit.core.write;

import io.destkit.core.write.BatchColumns;
import java.util.AbstractList;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * Consecutive records of one stream handed to a loader in one bulk write. The pipeline's batches
 * hold their records by column ({@link #columns()}: Arrow vectors, which a loader may hand to its
 * database as they are); {@link #rows()} gives the same records one {@link Row} at a time. A batch
 * made of rows (tests, tools) has no columns.
 */
public final class RecordBatch implements AutoCloseable {
  private final int streamIndex;
  private final long firstSequence;
  private final long bytes;
  private final List<Row> rows;
  private final BatchColumns columns;
  private final Runnable progress;

  /**
   * A batch of rows.
   *
   * @param firstSequence the per-stream sequence number (1-based) of the first row
   * @param bytes the bytes the memory budget counted for the rows
   */
  public RecordBatch(int streamIndex, long firstSequence, List<Row> rows, long bytes) {
    this.streamIndex = streamIndex;
    this.firstSequence = firstSequence;
    this.rows = rows;
    this.columns = null;
    this.bytes = bytes;
    this.progress = () -> {};
  }

  /** A batch held by column; closing the batch frees the columns. */
  public RecordBatch(int streamIndex, long firstSequence, BatchColumns columns, long bytes) {
    this.streamIndex = streamIndex;
    this.firstSequence = firstSequence;
    this.columns = columns;
    this.rows = new ColumnRows(columns);
    this.bytes = bytes;
    this.progress = () -> {};
  }

  /**
   * The same records, read as {@code view} in place of {@link #rows()} (e.g. a view that notes
   * progress as rows are read), with {@code progress} for a loader reading the columns to call now
   * and then (see {@link #progress()}).
   */
  public RecordBatch watched(List<Row> view, Runnable progress) {
    return new RecordBatch(this, view, progress);
  }

  private RecordBatch(RecordBatch of, List<Row> view, Runnable progress) {
    this.streamIndex = of.streamIndex;
    this.firstSequence = of.firstSequence;
    this.columns = of.columns;
    this.rows = view;
    this.bytes = of.bytes;
    this.progress = progress;
  }

  /** Notes that the load of this batch is progressing; a loader reading the columns calls it now and then. */
  public void progress() {
    progress.run();
  }

  /** What {@link #progress()} runs. */
  public Runnable progressNote() {
    return progress;
  }

  public int streamIndex() {
    return streamIndex;
  }

  public long firstSequence() {
    return firstSequence;
  }

  public long lastSequence() {
    return firstSequence + size() - 1;
  }

  public int size() {
    return columns != null ? columns.size() : rows.size();
  }

  /** The bytes the memory budget counted for these records. */
  public long bytes() {
    return bytes;
  }

  /** The records, one {@link Row} each; for a batch held by column, each is made when read. */
  public List<Row> rows() {
    return rows;
  }

  /** The records by column, when the batch holds them so. */
  public Optional<BatchColumns> columns() {
    return Optional.ofNullable(columns);
  }

  /** Frees the columns' memory; the batch must not be read afterwards. */
  @Override
  public void close() {
    if (columns != null) {
      columns.close();
    }
  }

  /** Rows read from the columns. */
  private static final class ColumnRows extends AbstractList<Row> implements RandomAccess {
    private final BatchColumns columns;

    ColumnRows(BatchColumns columns) {
      this.columns = columns;
    }

    @Override
    public Row get(int index) {
      return columns.row(index);
    }

    @Override
    public int size() {
      return columns.size();
    }
  }
}
