package io.destkit.core.write;

import java.time.Duration;

/**
 * Tuning of the write pipeline.
 *
 * @param flushThreads batches written at once, each on its own connection
 * @param batchBytes a stream's buffer is flushed when it holds this many input bytes
 * @param batchRecords ... or this many records
 * @param maxAge ... or its oldest record has waited this long (so states keep flowing on slow input)
 * @param memoryBytes cap on the bytes held in memory: records buffered or in flight, and states
 *     waiting for their records' commit
 * @param maxLineBytes the longest input line accepted; a longer one fails the sync naming it
 * @param flushTimeout a batch's bulk load that makes no progress for this long is cancelled (and
 *     retried as a transient failure)
 * @param retries how a batch, a stream's start and its finalisation are retried on a transient failure
 */
public record PipelineSettings(
    int flushThreads, long batchBytes, int batchRecords, Duration maxAge, long memoryBytes, int maxLineBytes,
    Duration flushTimeout, RetrySettings retries) {

  /** A batch's load that makes no progress for 10 minutes is cancelled. */
  public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofMinutes(10);

  /** Settings with the default flush timeout and retries. */
  public PipelineSettings(
      int flushThreads, long batchBytes, int batchRecords, Duration maxAge, long memoryBytes, int maxLineBytes) {
    this(flushThreads, batchBytes, batchRecords, maxAge, memoryBytes, maxLineBytes, DEFAULT_FLUSH_TIMEOUT,
        RetrySettings.defaults());
  }

  /** Settings with the default line maximum ({@link #defaultMaxLineBytes()}). */
  public PipelineSettings(int flushThreads, long batchBytes, int batchRecords, Duration maxAge, long memoryBytes) {
    this(flushThreads, batchBytes, batchRecords, maxAge, memoryBytes, defaultMaxLineBytes());
  }

  /** Defaults sized from the JVM's heap: buffers take at most a quarter of it. */
  public static PipelineSettings defaults() {
    long heap = Runtime.getRuntime().maxMemory();
    long memory = Math.max(16L << 20, Math.min(heap / 4, 1L << 30));
    // Bytes of the batch's columns (about a third of its JSON input): 16 MB is some 50,000 records
    // of a dozen columns, small enough that the loads overlap the reading well.
    long batch = Math.max(1L << 20, Math.min(16L << 20, memory / 4));
    int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    return new PipelineSettings(threads, batch, 500_000, Duration.ofSeconds(30), memory);
  }

  /**
   * A sixteenth of the heap, between 1 MB and 256 MB: parsing a line holds it about five times
   * over (its bytes, its row, the JSON text of its values) beside the memory cap's quarter.
   */
  public static int defaultMaxLineBytes() {
    long heap = Runtime.getRuntime().maxMemory();
    return (int) Math.max(1L << 20, Math.min(heap / 16, 256L << 20));
  }

  public PipelineSettings withMaxAge(Duration age) {
    return new PipelineSettings(
        flushThreads, batchBytes, batchRecords, age, memoryBytes, maxLineBytes, flushTimeout, retries);
  }

  public PipelineSettings withBatchRecords(int records) {
    return new PipelineSettings(
        flushThreads, batchBytes, records, maxAge, memoryBytes, maxLineBytes, flushTimeout, retries);
  }

  public PipelineSettings withFlushThreads(int threads) {
    return new PipelineSettings(
        threads, batchBytes, batchRecords, maxAge, memoryBytes, maxLineBytes, flushTimeout, retries);
  }

  public PipelineSettings withMaxLineBytes(int bytes) {
    return new PipelineSettings(
        flushThreads, batchBytes, batchRecords, maxAge, memoryBytes, bytes, flushTimeout, retries);
  }

  public PipelineSettings withFlushTimeout(Duration timeout) {
    return new PipelineSettings(
        flushThreads, batchBytes, batchRecords, maxAge, memoryBytes, maxLineBytes, timeout, retries);
  }

  public PipelineSettings withRetries(RetrySettings settings) {
    return new PipelineSettings(
        flushThreads, batchBytes, batchRecords, maxAge, memoryBytes, maxLineBytes, flushTimeout, settings);
  }

  /**
   * Applies the tuning a user gives as system properties (e.g. {@code
   * DESTKIT_JAVA_OPTS=-Ddestkit.batch.records=20000} for the launchers): {@code destkit.flush.threads},
   * {@code destkit.batch.records}, {@code destkit.batch.mb}, {@code destkit.memory.mb}, {@code
   * destkit.flush.seconds}, {@code destkit.line.mb} (below 2048), {@code
   * destkit.flush.timeout.seconds}, {@code destkit.retry.attempts}, {@code destkit.retry.delay.ms},
   * {@code destkit.retry.max.seconds}. A value that is not a positive number is refused, naming the
   * property.
   */
  public PipelineSettings withSystemOverrides() {
    long lineBytes = property("destkit.line.mb", maxLineBytes, 1L << 20);
    if (lineBytes > MAX_LINE_LIMIT) {
      throw new io.destkit.core.ConfigErrorException(
          "System property destkit.line.mb=" + System.getProperty("destkit.line.mb") + " must be below 2048.");
    }
    return new PipelineSettings(
        (int) property("destkit.flush.threads", flushThreads, 1),
        property("destkit.batch.mb", batchBytes, 1L << 20),
        (int) property("destkit.batch.records", batchRecords, 1),
        Duration.ofSeconds(property("destkit.flush.seconds", maxAge.toSeconds(), 1)),
        property("destkit.memory.mb", memoryBytes, 1L << 20),
        (int) lineBytes,
        Duration.ofSeconds(property("destkit.flush.timeout.seconds", flushTimeout.toSeconds(), 1)),
        retryOverrides());
  }

  private RetrySettings retryOverrides() {
    long attempts = property("destkit.retry.attempts", retries.attempts(), 1);
    Duration first = Duration.ofMillis(property("destkit.retry.delay.ms", retries.firstDelay().toMillis(), 1));
    Duration max = Duration.ofSeconds(property("destkit.retry.max.seconds", retries.maxDelay().toSeconds(), 1));
    if (attempts > 100) {
      throw new io.destkit.core.ConfigErrorException(
          "System property destkit.retry.attempts=" + attempts + " must be at most 100.");
    }
    // A longest delay below the first is the first: waits never shrink.
    return new RetrySettings((int) attempts, first, max.compareTo(first) < 0 ? first : max);
  }

  /** The longest line a Java array holds, rounded down to whole MB. */
  private static final long MAX_LINE_LIMIT = 2047L << 20;

  private static long property(String name, long current, long unit) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return current;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed <= 0) {
        throw new NumberFormatException();
      }
      return parsed * unit;
    } catch (NumberFormatException e) {
      throw new io.destkit.core.ConfigErrorException(
          "System property " + name + "=" + value + " must be a positive whole number.");
    }
  }
}
