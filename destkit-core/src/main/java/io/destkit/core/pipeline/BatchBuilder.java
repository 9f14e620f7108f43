package io.destkit.core.pipeline;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.ColumnVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * Builds one stream's next batch by column: each record's values go straight into the stream's
 * column vectors, the meta values into arrays; no object is kept per record. Used by the reading
 * thread only.
 */
final class BatchBuilder implements AutoCloseable {
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

  BatchBuilder(List<ColumnDef> columns, ColumnVectors.Numbers numbers, BufferAllocator allocator) {
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
  long append(long high, long low, long extractedAtMillis, String recordChanges, Object[] values) {
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

  int count() {
    return count;
  }

  /** Takes the records appended as columns and starts the next batch, sized like this one. */
  BatchColumns drain() {
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
