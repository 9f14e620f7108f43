package io.destkit.core.write;

import io.destkit.core.catalog.ColumnDef;
import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * Builds one stream's next batch by column: each record's values go straight into the stream's
   * column vectors, the meta values into arrays; no object is kept per record. Not thread-safe.
   */
  public static final class Builder implements AutoCloseable {
    private static final int FIRST_CAPACITY = 64;

    private final List<ColumnDef> columns;
    private final ColumnVectors.Kind[] kinds;
    private final BufferAllocator allocator;
    /** The fixed bytes one record takes in the vectors and arrays (text bytes come on top). */
    private final int fixedBytesPerRecord;
    private List<FieldVector> vectors;
    private long[] rawIdHigh;
    private long[] rawIdLow;
    private long[] extractedAt;
    private String[] changes;
    private int count;
    private int capacity;

    private final ColumnVectors.Numbers numbers;

    public Builder(List<ColumnDef> columns, ColumnVectors.Numbers numbers, BufferAllocator allocator) {
      this.columns = List.copyOf(columns);
      this.numbers = numbers;
      this.allocator = allocator;
      this.kinds = new ColumnVectors.Kind[columns.size()];
      int fixed = 3 * Long.BYTES + 8;
      for (int i = 0; i < kinds.length; i++) {
        kinds[i] = ColumnVectors.kind(columns.get(i).type(), numbers);
        fixed += ColumnVectors.fixedBytes(kinds[i]);
      }
      this.fixedBytesPerRecord = fixed;
      start(FIRST_CAPACITY);
    }

    private void start(int initialCapacity) {
      capacity = initialCapacity;
      count = 0;
      rawIdHigh = new long[capacity];
      rawIdLow = new long[capacity];
      extractedAt = new long[capacity];
      changes = new String[capacity];
      vectors = new ArrayList<>(columns.size());
      for (int i = 0; i < kinds.length; i++) {
        FieldVector vector = ColumnVectors.create("c" + i, columns.get(i).type(), numbers, allocator);
        vector.setInitialCapacity(capacity);
        vector.allocateNew();
        vectors.add(vector);
      }
    }

    /**
     * Appends one record; {@code values} follow the stream's columns (null for NULL) and are not kept.
     * Returns the bytes the record takes in the batch.
     */
    public long append(long high, long low, long extractedAtMillis, String recordChanges, Object[] values) {
      if (count == capacity) {
        capacity = capacity * 2;
        rawIdHigh = Arrays.copyOf(rawIdHigh, capacity);
        rawIdLow = Arrays.copyOf(rawIdLow, capacity);
        extractedAt = Arrays.copyOf(extractedAt, capacity);
        changes = Arrays.copyOf(changes, capacity);
      }
      int row = count;
      long bytes = fixedBytesPerRecord;
      for (int column = 0; column < kinds.length; column++) {
        Object value = values[column];
        FieldVector vector = vectors.get(column);
        if (value == null) {
          vector.setNull(row);
        } else {
          try {
            bytes += ColumnVectors.set(vector, kinds[column], row, value);
          } catch (ClassCastException e) {
            throw new IllegalStateException("Column " + columns.get(column).name() + " of type " + columns.get(column).type()
                + " got a value of " + value.getClass().getSimpleName(), e);
          }
        }
      }
      rawIdHigh[row] = high;
      rawIdLow[row] = low;
      extractedAt[row] = extractedAtMillis;
      changes[row] = recordChanges;
      if (recordChanges != null) {
        bytes += 2L * recordChanges.length();
      }
      count++;
      return bytes;
    }

    public int count() {
      return count;
    }

    /** Takes the records appended as columns and starts the next batch, sized like this one. */
    public BatchColumns drain() {
      BatchColumns batch = new BatchColumns(count, rawIdHigh, rawIdLow, extractedAt, changes, vectors, kinds, allocator);
      start(Math.max(FIRST_CAPACITY, Integer.highestOneBit(Math.max(1, count))));
      return batch;
    }

    /** Frees the vectors of a batch never drained. */
    @Override
    public void close() {
      for (FieldVector vector : vectors) {
        vector.close();
      }
    }
}
}
