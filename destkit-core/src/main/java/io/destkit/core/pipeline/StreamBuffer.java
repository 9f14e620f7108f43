package io.destkit.core.pipeline;

import java.util.ArrayList;
import java.util.List;

/** The records of one stream waiting to be flushed; accessed by the reading thread only. */
final class StreamBuffer {
  private final int streamIndex;
  private List<Row> rows = new ArrayList<>();
  private long firstSequence = 1;
  private long bytes;
  private long oldestNanos;

  StreamBuffer(int streamIndex) {
    this.streamIndex = streamIndex;
  }

  void add(Row row, long rowBytes, long nowNanos) {
    if (rows.isEmpty()) {
      oldestNanos = nowNanos;
    }
    rows.add(row);
    bytes += rowBytes;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  int count() {
    return rows.size();
  }

  long bytes() {
    return bytes;
  }

  long oldestNanos() {
    return oldestNanos;
  }

  /** Takes everything buffered as one batch and starts a new, empty buffer. */
  RecordBatch drain() {
    RecordBatch batch = new RecordBatch(streamIndex, firstSequence, rows, bytes);
    firstSequence += rows.size();
    rows = new ArrayList<>(Math.max(16, Math.min(batch.size(), 1 << 16)));
    bytes = 0;
    return batch;
  }
}
