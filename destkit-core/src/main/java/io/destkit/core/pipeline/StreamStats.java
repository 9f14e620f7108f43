package io.destkit.core.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one stream for progress and the end-of-sync summary. */
public final class StreamStats {
  final AtomicLong rowsWritten = new AtomicLong();
  final AtomicLong nulledValues = new AtomicLong();
  final AtomicLong writeNanos = new AtomicLong();

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
