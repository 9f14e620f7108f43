package io.destkit.core.pipeline;

/** The records of one stream waiting to be flushed, held by column; accessed by the reading thread only. */
final class StreamBuffer implements AutoCloseable {
  private final int streamIndex;
  private final BatchBuilder builder;
  private long firstSequence = 1;
  private long bytes;
  private long oldestNanos;

  StreamBuffer(int streamIndex, BatchBuilder builder) {
    this.streamIndex = streamIndex;
    this.builder = builder;
  }

  /** Appends one record's values (not kept) and returns the bytes it takes in the batch. */
  long add(long rawIdHigh, long rawIdLow, long extractedAtMillis, String changes, Object[] values, long nowNanos) {
    if (builder.count() == 0) {
      oldestNanos = nowNanos;
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
    firstSequence += batch.size();
    bytes = 0;
    return batch;
  }

  @Override
  public void close() {
    builder.close();
  }
}
