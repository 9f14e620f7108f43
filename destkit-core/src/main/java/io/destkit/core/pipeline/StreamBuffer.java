package io.destkit.core.pipeline;

import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.RecordBatch;

/** The records of one stream waiting to be flushed, held by column; accessed by the reading thread only. */
final class StreamBuffer implements AutoCloseable {
  private final int streamIndex;
  private final BatchColumns.Builder builder;
  /** The tracker's sequence number of the first buffered record. */
  private long firstSequence;
  private long bytes;
  private long oldestNanos;

  StreamBuffer(int streamIndex, BatchColumns.Builder builder) {
    this.streamIndex = streamIndex;
    this.builder = builder;
  }

  /**
   * Appends one record's values (not kept) and returns the bytes it takes in the batch.
   *
   * @param sequence the record's sequence number, from the state tracker: one more than the last
   */
  long add(long sequence, long rawIdHigh, long rawIdLow, long extractedAtMillis, String changes, Object[] values,
      long nowNanos) {
    if (builder.count() == 0) {
      oldestNanos = nowNanos;
      firstSequence = sequence;
    } else if (sequence != firstSequence + builder.count()) {
      throw new IllegalStateException("record " + sequence + " of stream " + streamIndex + " follows "
          + (firstSequence + builder.count() - 1));
    }
    long recordBytes = builder.append(rawIdHigh, rawIdLow, extractedAtMillis, changes, values);
    bytes += recordBytes;
    return recordBytes;
  }

  boolean isEmpty() {
    return builder.count() == 0;
  }

  int count() {
    return builder.count();
  }

  long bytes() {
    return bytes;
  }

  long oldestNanos() {
    return oldestNanos;
  }

  /** Takes everything buffered as one batch and starts a new, empty buffer. */
  RecordBatch drain() {
    RecordBatch batch = new RecordBatch(streamIndex, firstSequence, builder.drain(), bytes);
    bytes = 0;
    return batch;
  }

  @Override
  public void close() {
    builder.close();
  }
}
