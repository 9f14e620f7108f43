package io.destkit.core.pipeline;

/**
 * Caps the bytes of records held in memory, buffered or in flight. The reader adds what it buffers
 * and, when over the cap, waits until flushes release enough: back-pressure instead of growth.
 */
final class MemoryBudget {
  private final long limit;
  private long used;
  private boolean aborted;

  MemoryBudget(long limit) {
    this.limit = limit;
  }

  synchronized void add(long bytes) {
    used += bytes;
  }

  synchronized void release(long bytes) {
    used -= bytes;
    notifyAll();
  }

  synchronized boolean overLimit() {
    return used > limit;
  }

  synchronized long used() {
    return used;
  }

  long limit() {
    return limit;
  }

  /** Waits until usage is at most {@code target}, or the sync is aborted. */
  synchronized void awaitAtMost(long target) throws InterruptedException {
    while (used > target && !aborted) {
      wait(1000);
    }
  }

  synchronized void abort() {
    aborted = true;
    notifyAll();
  }
}
