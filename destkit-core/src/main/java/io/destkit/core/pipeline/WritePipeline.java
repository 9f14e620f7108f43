package io.destkit.core.pipeline;

import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.RecordBatch;
import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.InputException;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.state.StateTracker;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.RawId;
import io.destkit.core.write.StreamLoader;
import io.destkit.protocol.LineReader;
import io.destkit.protocol.LineTooLongException;
import io.destkit.protocol.StreamDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The write path: read and parse lines, buffer records per stream, hand full buffers to a bounded
 * pool of flush threads, and let the {@link StateTracker} emit each STATE once its records are
 * committed. Memory is capped by a {@link MemoryBudget} that counts records buffered or in flight
 * and states waiting for their records: when it is full, buffers are flushed and reading waits.
 */
public final class WritePipeline {
  /** A STATE is held as a JSON tree: about four heap bytes per input byte (measured), plus the entry. */
  private static final int STATE_BYTES_PER_INPUT_BYTE = 4;
  private static final int STATE_OVERHEAD = 256;

  private final DestinationCatalog catalog;
  private final TableCatalog tables;
  private final StreamLoaders loaders;
  private final PipelineSettings settings;
  private final StateTracker tracker;
  private final ValueLimits limits;
  private final StreamStats[] stats;
  private final StreamBuffer[] buffers;
  /** The memory of every batch's column vectors (off the Java heap). */
  private final BufferAllocator allocator = new RootAllocator();
  private final boolean[] complete;
  private final MemoryBudget budget;
  /** Guards the buffers: the reading thread and the age timer both flush. */
  private final ReentrantLock bufferLock = new ReentrantLock();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  /** Set when a bulk write failed: later batches are skipped. Bad input does not skip them. */
  private volatile boolean writeFailed;
  private final ExecutorService flushPool;
  /** Batches of each stream handed to the flush pool and not yet finished. */
  private final java.util.concurrent.atomic.AtomicIntegerArray inFlight;
  private volatile long bytesRead;
  private volatile long recordsRead;
  /** CPU time of the reading thread (parse and coerce) and of the flush threads' bulk writes. */
  private volatile long readCpuNanos;
  private final java.util.concurrent.atomic.AtomicLong writeCpuNanos = new java.util.concurrent.atomic.AtomicLong();
  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
  /** The clock of buffer ages, in nanoseconds. */
  private final LongSupplier nanoClock;
  /** Every raw id of this sync is greater than this one (null: from the current time). */
  private final RawId rawIdFloor;

  public WritePipeline(
      DestinationCatalog catalog,
      TableCatalog tables,
      List<StreamLoader> loaders,
      StateTracker tracker,
      ValueLimits limits,
      PipelineSettings settings) {
    this(catalog, tables, new StreamLoaders(loaders, tables, settings.flushThreads()), tracker, limits, settings, null,
        System::nanoTime);
  }

  /**
   * A pipeline whose raw ids are all greater than {@code rawIdFloor}: above every row an earlier
   * attempt may have written (see {@link io.destkit.core.write.CheckpointStore#begin}).
   */
  public WritePipeline(
      DestinationCatalog catalog,
      TableCatalog tables,
      StreamLoaders loaders,
      StateTracker tracker,
      ValueLimits limits,
      PipelineSettings settings,
      RawId rawIdFloor) {
    this(catalog, tables, loaders, tracker, limits, settings, rawIdFloor, System::nanoTime);
  }

  /** With the clock buffer ages are measured on (tests move it by hand). */
  WritePipeline(
      DestinationCatalog catalog,
      TableCatalog tables,
      List<StreamLoader> loaders,
      StateTracker tracker,
      ValueLimits limits,
      PipelineSettings settings,
      LongSupplier nanoClock) {
    this(catalog, tables, new StreamLoaders(loaders, tables, settings.flushThreads()), tracker, limits, settings, null,
        nanoClock);
  }

  private WritePipeline(
      DestinationCatalog catalog,
      TableCatalog tables,
      StreamLoaders loaders,
      StateTracker tracker,
      ValueLimits limits,
      PipelineSettings settings,
      RawId rawIdFloor,
      LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.rawIdFloor = rawIdFloor;
    this.catalog = catalog;
    this.tables = tables;
    this.loaders = loaders;
    this.settings = settings;
    this.tracker = tracker;
    this.limits = limits;
    int n = catalog.size();
    this.stats = new StreamStats[n];
    this.buffers = new StreamBuffer[n];
    this.complete = new boolean[n];
    for (int i = 0; i < n; i++) {
      stats[i] = new StreamStats();
      buffers[i] = new StreamBuffer(i, new BatchColumns.Builder(tables.get(i).columns(), limits.numbers(), allocator));
    }
    this.budget = new MemoryBudget(settings.memoryBytes());
    this.inFlight = new java.util.concurrent.atomic.AtomicIntegerArray(n);
    tracker.onRelease(budget::release);
    // A state that cannot be recorded or written stops the sync: nothing after it may be acknowledged.
    tracker.onFailure(e -> {
      failure.compareAndSet(null, e);
      writeFailed = true;
      budget.abort();
    });
    this.flushPool =
        Executors.newFixedThreadPool(
            settings.flushThreads(),
            runnable -> {
              Thread thread = new Thread(runnable, "destkit-flush");
              thread.setDaemon(true);
              return thread;
            });
  }

  public StreamStats stats(int stream) {
    return stats[stream];
  }

  public long bytesRead() {
    return bytesRead;
  }

  public long recordsRead() {
    return recordsRead;
  }

  /** CPU time the reading thread spent reading, parsing and coercing (known once the input ended). */
  public long readCpuNanos() {
    return readCpuNanos;
  }

  /**
   * CPU time the flush threads spent in bulk writes, JVM side. Work the database does on its own
   * threads (PostgreSQL's server, DuckDB's native code called from these threads counts) is here only
   * when it runs on the calling thread.
   */
  public long writeCpuNanos() {
    return writeCpuNanos.get();
  }

  private static long threadCpuNanos() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  /**
   * Reads every message from {@code in} and writes its records. Each stream loader is closed with
   * {@code streamCompleted} true only when its stream got STREAM_STATUS COMPLETE and no failure
   * happened. Never throws for bad input or a failed write: the failure is in the result.
   */
  public SyncResult run(InputStream in) {
    ScheduledExecutorService ageTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "destkit-age-flush");
      thread.setDaemon(true);
      return thread;
    });
    long tick = Math.max(100, Math.min(1000, settings.maxAge().toMillis() / 2));
    ageTimer.scheduleWithFixedDelay(this::flushAged, tick, tick, TimeUnit.MILLISECONDS);
    try {
      readAll(in);
    } catch (InputException e) {
      failure.compareAndSet(null, e);
    } catch (IOException e) {
      failure.compareAndSet(null, new InputException("Cannot read the input: " + e.getMessage(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, e);
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    } finally {
      ageTimer.shutdownNow();
    }
    // Whatever was read before a failure is valid: commit it so its states can be emitted.
    flushEverything();
    tracker.emitReadyNow();
    long finaliseStart = System.nanoTime();
    closeLoaders();
    long finaliseNanos = System.nanoTime() - finaliseStart;
    releaseMemory();
    List<String> incomplete = new ArrayList<>();
    for (int i = 0; i < complete.length; i++) {
      if (!complete[i]) {
        incomplete.add(catalog.get(i).descriptor().toString());
      }
    }
    return new SyncResult(recordsRead, bytesRead, tracker.emittedCount(), incomplete, failure.get(), finaliseNanos);
  }

  /**
   * Frees the buffers' vectors and the allocator. A batch whose write never ended (its wait timed
   * out) still holds its memory: the allocator then stays open, and the process's end frees it.
   */
  private void releaseMemory() {
    bufferLock.lock();
    try {
      for (StreamBuffer buffer : buffers) {
        buffer.close();
      }
    } finally {
      bufferLock.unlock();
    }
    try {
      allocator.close();
    } catch (IllegalStateException stillInUse) {
      // See above: only a write still running holds memory here.
    }
  }

  private void readAll(InputStream in) throws IOException, InterruptedException {
    long cpuStart = threadCpuNanos();
    try {
      readLines(in);
    } finally {
      readCpuNanos = threadCpuNanos() - cpuStart;
    }
  }

  private void readLines(InputStream in) throws IOException, InterruptedException {
    LineReader reader = new LineReader(in, Math.min(1 << 20, settings.maxLineBytes()), settings.maxLineBytes());
    MessageParser parser = new MessageParser(catalog, tables, limits, rawIdFloor);
    ParsedLine line = new ParsedLine();
    while (nextLine(reader)) {
      if (failure.get() != null) {
        return;
      }
      int length = reader.lineLength();
      parser.parse(reader.buffer(), reader.lineStart(), length, reader.lineNumber(), line);
      bytesRead = reader.bytesRead();
      switch (line.kind) {
        case RECORD -> acceptRecord(line, length);
        case STATE -> acceptState(line, length);
        case STREAM_STATUS -> acceptStatus(line.message.path("trace").path("stream_status"), reader.lineNumber());
        default -> { }
      }
    }
  }

  private boolean nextLine(LineReader reader) throws IOException {
    try {
      return reader.next();
    } catch (LineTooLongException e) {
      bytesRead = reader.bytesRead();
      throw new InputException(
          "Line " + e.lineNumber() + " of the input is longer than the maximum of " + megabytes(e.maxLineBytes())
              + ". Raise it with the system property destkit.line.mb, and the heap (-Xmx) to about 16 times that.",
          e);
    }
  }

  private static String megabytes(long bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MB" : bytes + " bytes";
  }

  /** A state is held, and counted in the budget, until its records are committed. */
  private void acceptState(ParsedLine line, int length) throws InterruptedException {
    long heldBytes = (long) STATE_BYTES_PER_INPUT_BYTE * length + STATE_OVERHEAD;
    budget.add(heldBytes);
    tracker.stateReceived(line.message, heldBytes);
    if (budget.overLimit()) {
      relieveMemory();
    }
  }

  private void acceptRecord(ParsedLine line, int length) throws InterruptedException {
    int stream = line.streamIndex;
    long recordBytes;
    if (line.nulledValues > 0) {
      stats[stream].nulledValues.addAndGet(line.nulledValues);
    }
    boolean full;
    bufferLock.lock();
    try {
      // The tracker numbers the stream's records; the batch takes its range from those numbers.
      long sequence = tracker.recordReceived(stream, line.rawIdHigh, line.rawIdLow);
      StreamBuffer buffer = buffers[stream];
      recordBytes = buffer.add(sequence,
          line.rawIdHigh, line.rawIdLow, line.extractedAtMillis, line.changes, line.values, nanoClock.getAsLong());
      full = buffer.bytes() >= settings.batchBytes() || buffer.count() >= settings.batchRecords();
      if (full) {
        submit(buffer);
      }
    } finally {
      bufferLock.unlock();
    }
    recordsRead++;
    budget.add(recordBytes);
    if (budget.overLimit()) {
      relieveMemory();
    }
  }

  /**
   * Flushes the largest buffers until what stays (buffered records and the states held, which may
   * wait for those records) is at most half the budget, then waits for flushes. With every buffer
   * flushed every held state can be emitted, so the wait always ends.
   */
  private void relieveMemory() throws InterruptedException {
    bufferLock.lock();
    try {
      long buffered = 0;
      for (StreamBuffer buffer : buffers) {
        buffered += buffer.bytes();
      }
      long states = tracker.heldBytes();
      while (buffered + states > budget.limit() / 2) {
        StreamBuffer largest = null;
        for (StreamBuffer buffer : buffers) {
          if (!buffer.isEmpty() && (largest == null || buffer.bytes() > largest.bytes())) {
            largest = buffer;
          }
        }
        if (largest == null) {
          break;
        }
        buffered -= largest.bytes();
        submit(largest);
      }
    } finally {
      bufferLock.unlock();
    }
    budget.awaitAtMost(budget.limit());
  }

  private void acceptStatus(JsonNode status, long lineNumber) {
    JsonNode descriptor = status.path("stream_descriptor");
    JsonNode namespace = descriptor.get("namespace");
    StreamDescriptor stream =
        new StreamDescriptor(
            namespace == null || namespace.isNull() ? null : namespace.asText(),
            descriptor.path("name").asText());
    int index = catalog.indexOf(stream);
    if (index < 0) {
      throw new InputException(
          "Line " + lineNumber + ": a stream status for stream '" + stream + "', which is not in the catalog.");
    }
    String value = status.path("status").asText();
    if ("COMPLETE".equals(value)) {
      complete[index] = true;
    } else if ("INCOMPLETE".equals(value)) {
      complete[index] = false;
    }
  }

  /** Hands a buffer's records to the flush pool. Caller holds the buffer lock. */
  private void submit(StreamBuffer buffer) {
    RecordBatch batch = buffer.drain();
    inFlight.incrementAndGet(batch.streamIndex());
    flushPool.execute(() -> writeBatch(batch));
  }

  private void writeBatch(RecordBatch batch) {
    try {
      if (writeFailed) {
        return;
      }
      long start = System.nanoTime();
      long cpuStart = threadCpuNanos();
      loaders.write(batch);
      writeCpuNanos.addAndGet(threadCpuNanos() - cpuStart);
      StreamStats streamStats = stats[batch.streamIndex()];
      streamStats.writeNanos.addAndGet(System.nanoTime() - start);
      streamStats.rowsWritten.addAndGet(batch.size());
      tracker.batchCommitted(batch.streamIndex(), batch.firstSequence(), batch.lastSequence());
    } catch (Throwable e) {
      writeFailed = true;
      failure.compareAndSet(
          null,
          new WriteFailure(
              "Writing " + batch.size() + " records of stream '" + catalog.get(batch.streamIndex()).descriptor()
                  + "' failed: " + e.getMessage(),
              e));
      budget.abort();
    } finally {
      batch.close();
      budget.release(batch.bytes());
      inFlight.decrementAndGet(batch.streamIndex());
    }
  }

  /** Flushes the buffers whose oldest record has waited the maximum age; run by the age timer. */
  void flushAged() {
    long now = nanoClock.getAsLong();
    long maxAge = settings.maxAge().toNanos();
    if (!bufferLock.tryLock()) {
      return;
    }
    try {
      for (StreamBuffer buffer : buffers) {
        if (!buffer.isEmpty() && now - buffer.oldestNanos() >= maxAge) {
          submit(buffer);
        }
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    } finally {
      bufferLock.unlock();
    }
  }

  /** Records of a stream buffered and not yet handed to the flush pool. */
  int bufferedRecords(int stream) {
    bufferLock.lock();
    try {
      return buffers[stream].count();
    } finally {
      bufferLock.unlock();
    }
  }

  private void flushEverything() {
    bufferLock.lock();
    try {
      for (StreamBuffer buffer : buffers) {
        if (!buffer.isEmpty()) {
          submit(buffer);
        }
      }
    } finally {
      bufferLock.unlock();
    }
    flushPool.shutdown();
    Duration bound = flushWaitBound();
    try {
      if (!flushPool.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < inFlight.length(); i++) {
          if (inFlight.get(i) > 0) {
            stuck.add("'" + catalog.get(i).descriptor() + "' (" + inFlight.get(i) + ")");
          }
        }
        writeFailed = true;
        failure.compareAndSet(null, new WriteFailure(
            "The input ended, but batches of stream(s) " + String.join(", ", stuck) + " were still being written "
                + bound.toSeconds() + " s later, longer than every retry of a load that makes no progress may take"
                + " (destkit.flush.timeout.seconds, destkit.retry.attempts, destkit.retry.max.seconds): the sync stops"
                + " waiting. Their records are not acknowledged; the next attempt writes them again.", null));
        flushPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, e);
    }
  }

  /**
   * How long the end of the input waits for the flushes in progress: as long as every attempt of a
   * load may take (each is cancelled after the flush timeout without progress, retries wait up to
   * the longest delay), plus one more flush timeout. A load that keeps making progress is never
   * cancelled, so a longer wait means a flush that is stuck beyond its watchdog's reach.
   */
  private Duration flushWaitBound() {
    Duration perAttempt = settings.flushTimeout().plus(settings.retries().maxDelay());
    return perAttempt.multipliedBy(settings.retries().attempts()).plus(settings.flushTimeout());
  }

  /**
   * Closes every loader, several at once. A stream is finalised as complete when its source sent
   * STREAM_STATUS COMPLETE and every one of its records was committed, even if another stream
   * failed; otherwise its loader is closed as incomplete and must not replace or delete data.
   */
  private void closeLoaders() {
    // A state that could not be recorded or written leaves the output behind the tables: no stream
    // is finalised then, and the next attempt resumes.
    boolean[] completed = new boolean[complete.length];
    for (int i = 0; i < completed.length; i++) {
      completed[i] = complete[i] && tracker.committed(i) == tracker.received(i) && tracker.failure() == null;
    }
    loaders.closeAll(i -> completed[i])
        .ifPresent(e -> failure.compareAndSet(null, new WriteFailure(e.getMessage(), e.getCause())));
  }

  /** A bulk write or a finalisation that failed. */
  public static final class WriteFailure extends RuntimeException {
    WriteFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
