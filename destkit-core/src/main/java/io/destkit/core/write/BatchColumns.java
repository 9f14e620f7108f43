package io.destkit.core.write;

import io.destkit.core.pipeline.Row;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * The records of a batch held by column: the meta values of each record in arrays, and one Arrow
 * vector per stream column (in the order of the stream's columns, see {@link ColumnVectors} for how
 * each type is held). The vectors' memory is off the Java heap and is freed by {@link #close}.
 */
public final class BatchColumns implements AutoCloseable {
  private final int size;
  private final long[] rawIdHigh;
  private final long[] rawIdLow;
  private final long[] extractedAtMillis;
  private final String[] changes;
  private final List<FieldVector> vectors;
  private final ColumnVectors.Kind[] kinds;
  private final BufferAllocator allocator;
  private volatile boolean closed;

  public BatchColumns(
      int size, long[] rawIdHigh, long[] rawIdLow, long[] extractedAtMillis, String[] changes,
      List<FieldVector> vectors, ColumnVectors.Kind[] kinds, BufferAllocator allocator) {
    this.allocator = allocator;
    this.size = size;
    this.rawIdHigh = rawIdHigh;
    this.rawIdLow = rawIdLow;
    this.extractedAtMillis = extractedAtMillis;
    this.changes = changes;
    this.vectors = List.copyOf(vectors);
    this.kinds = kinds.clone();
    for (FieldVector vector : vectors) {
      vector.setValueCount(size);
    }
  }

  /** The allocator of the vectors: a vector that shares their buffers must come from the same root. */
  public BufferAllocator allocator() {
    return allocator;
  }

  public int size() {
    return size;
  }

  public long rawIdHigh(int row) {
    return rawIdHigh[row];
  }

  public long rawIdLow(int row) {
    return rawIdLow[row];
  }

  public long extractedAtMillis(int row) {
    return extractedAtMillis[row];
  }

  /** The record's {@code _airbyte_meta.changes} as a JSON array text, or null when it has none. */
  public String changes(int row) {
    return changes[row];
  }

  /** The vector of the stream's column {@code column}; its value count is {@link #size()}. */
  public FieldVector vector(int column) {
    checkOpen();
    return vectors.get(column);
  }

  public ColumnVectors.Kind kind(int column) {
    return kinds[column];
  }

  public int columnCount() {
    return vectors.size();
  }

  /** The bytes the vectors hold. */
  public long vectorBytes() {
    long bytes = 0;
    for (FieldVector vector : vectors) {
      bytes += vector.getBufferSize();
    }
    return bytes;
  }

  /** Record {@code row} as a {@link Row} of Java values (made on each call). */
  public Row row(int row) {
    checkOpen();
    Object[] values = new Object[vectors.size()];
    for (int column = 0; column < values.length; column++) {
      values[column] = ColumnVectors.get(vectors.get(column), kinds[column], row);
    }
    return new Row(rawIdHigh[row], rawIdLow[row], extractedAtMillis[row], changes[row], values);
  }

  /**
   * A batch is read only while its write runs: the pipeline frees its memory when the write
   * returns. A loader that keeps records for later copies them ({@code List.copyOf(batch.rows())}).
   */
  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "This batch's columns were freed when its write returned; copy what must outlive the write.");
    }
  }

  @Override
  public void close() {
    closed = true;
    for (FieldVector vector : vectors) {
      vector.close();
    }
  }
}
