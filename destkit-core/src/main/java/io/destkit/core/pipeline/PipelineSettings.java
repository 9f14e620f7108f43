package io.destkit.core.pipeline;

import java.time.Duration;

/**
 * Tuning of the write pipeline.
 *
 * @param flushThreads batches written at once, each on its own connection
 * @param batchBytes a stream's buffer is flushed when it holds this many input bytes
 * @param batchRecords ... or this many records
 * @param maxAge ... or its oldest record has waited this long (so states keep flowing on slow input)
 * @param memoryBytes cap on the input bytes held in memory, buffered or in flight
 */
public record PipelineSettings(
    int flushThreads, long batchBytes, int batchRecords, Duration maxAge, long memoryBytes) {

  /** Defaults sized from the JVM's heap: buffers take at most a quarter of it. */
  public static PipelineSettings defaults() {
    long heap = Runtime.getRuntime().maxMemory();
    long memory = Math.max(16L << 20, Math.min(heap / 4, 1L << 30));
    long batch = Math.max(1L << 20, Math.min(64L << 20, memory / 4));
    int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    return new PipelineSettings(threads, batch, 500_000, Duration.ofSeconds(30), memory);
  }

  public PipelineSettings withMaxAge(Duration age) {
    return new PipelineSettings(flushThreads, batchBytes, batchRecords, age, memoryBytes);
  }

  public PipelineSettings withBatchRecords(int records) {
    return new PipelineSettings(flushThreads, batchBytes, records, maxAge, memoryBytes);
  }
}
