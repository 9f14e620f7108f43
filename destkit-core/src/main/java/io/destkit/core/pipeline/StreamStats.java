package io.destkit.core.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one stream for progress and the end-of-sync summary. */
public final class StreamStats {
  final AtomicLong rowsWritten = new AtomicLong();
  final AtomicLong nulledValues = new AtomicLong();
  final AtomicLong writeNanos = new AtomicLong();
  // Written by one reading thread at a time in STDIO mode, by several readers over sockets.
  private final AtomicLong recordsRead = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();

  void read(int bytes) {
    recordsRead.incrementAndGet();
    bytesRead.addAndGet(bytes);
  }

  /** RECORD messages of the stream read from the input. */
  public long recordsRead() {
    return recordsRead.get();
  }

  /** Bytes of the stream's RECORD messages (as read: JSON lines, or protobuf frames). */
  public long bytesRead() {
    return bytesRead.get();
  }

  public long rowsWritten() {
    return rowsWritten.get();
  }

  public long nulledValues() {
    return nulledValues.get();
  }

  /** Time spent in the loader's bulk writes, summed over flush threads. */
  public long writeNanos() {
    return writeNanos.get();
  }
}
