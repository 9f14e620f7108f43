package io.destkit.core.pipeline;

import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.RecordBatch;
import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.InputException;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.state.SocketStateTracker;
import io.destkit.core.state.StateTracker;
import io.destkit.core.state.StateTracking;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.DataChannel;
import io.destkit.protocol.FrameReader;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.UnixSockets;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
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
  /** The tracker of a sync read from standard input, or null. */
  private final StateTracker tracker;
  /** The tracker of a sync read from the socket data channel, or null. */
  private final SocketStateTracker socketTracker;
  /** Whichever of the two this pipeline has. */
  private final StateTracking states;
  /** The socket readers while a socket sync runs (empty otherwise). */
  private volatile List<SocketReader> readers = List.of();
  /** Keeps the socket readers parsing at once to the machine's cores. */
  private final ParseTurns parseTurns = new ParseTurns(Runtime.getRuntime().availableProcessors());
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
    this(catalog, tables, loaders, tracker, null, limits, settings, rawIdFloor, nanoClock);
  }

  /**
   * A pipeline that reads the socket data channel ({@link #run(List, DataChannel.Format, Duration,
   * ProgressOutput)}); its raw ids come from the tracker's blocks, all above {@code rawIdFloor}.
   */
  public WritePipeline(
      DestinationCatalog catalog,
      TableCatalog tables,
      StreamLoaders loaders,
      SocketStateTracker tracker,
      ValueLimits limits,
      PipelineSettings settings,
      RawId rawIdFloor) {
    this(catalog, tables, loaders, null, tracker, limits, settings, rawIdFloor, System::nanoTime);
  }

  private WritePipeline(
      DestinationCatalog catalog,
      TableCatalog tables,
      StreamLoaders loaders,
      StateTracker tracker,
      SocketStateTracker socketTracker,
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
    this.socketTracker = socketTracker;
    this.states = tracker != null ? tracker : socketTracker;
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
    states.onRelease(budget::release);
    // A state that cannot be recorded or written stops the sync: nothing after it may be acknowledged.
    states.onFailure(e -> {
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
    long bytes = bytesRead;
    for (SocketReader reader : readers) {
      bytes += reader.bytesRead;
    }
    return bytes;
  }

  public long recordsRead() {
    long records = recordsRead;
    for (SocketReader reader : readers) {
      records += reader.recordsRead;
    }
    return records;
  }

  /** CPU time the reading thread(s) spent reading, parsing and coercing (known once the input ended). */
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
    if (tracker == null) {
      throw new IllegalStateException("This pipeline reads the socket data channel, not an input stream");
    }
    return runReading(() -> readAll(in));
  }

  /**
   * Reads every message from the sockets the source listens on ({@code paths}, connected to within
   * {@code connectTimeout} each), one reading thread per socket, and writes their records; the input
   * ends at the end of every socket. {@code progress} receives, every few seconds, one progress
   * record per stream that has records (the platform's {@code isDummyStatsMessage} records). A state
   * whose records did not all arrive fails the sync at the end, naming it. Never throws for bad
   * input or a failed write: the failure is in the result.
   */
  public SyncResult run(List<Path> paths, DataChannel.Format format, Duration connectTimeout, ProgressOutput progress) {
    if (socketTracker == null) {
      throw new IllegalStateException("This pipeline reads standard input, not the socket data channel");
    }
    return runReading(() -> readSockets(paths, format, connectTimeout, progress));
  }

  /** Where a socket sync's progress records go (stdout, with the states). */
  @FunctionalInterface
  public interface ProgressOutput {
    void write(List<ObjectNode> records);
  }

  @FunctionalInterface
  private interface Reading {
    void read() throws IOException, InterruptedException;
  }

  private SyncResult runReading(Reading reading) {
    ScheduledExecutorService ageTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "destkit-age-flush");
      thread.setDaemon(true);
      return thread;
    });
    long tick = Math.max(100, Math.min(1000, settings.maxAge().toMillis() / 2));
    ageTimer.scheduleWithFixedDelay(this::flushAged, tick, tick, TimeUnit.MILLISECONDS);
    try {
      reading.read();
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
    states.emitReadyNow();
    if (socketTracker != null) {
      List<String> unsettled = socketTracker.unsettled();
      if (!unsettled.isEmpty()) {
        failure.compareAndSet(null, new InputException("Every socket ended, but " + String.join(" ", unsettled)
            + " Their records are not acknowledged; the next attempt reads them again."));
      }
    }
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
    return new SyncResult(recordsRead(), bytesRead(), states.emittedCount(), incomplete, failure.get(), finaliseNanos);
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
    for (SocketReader reader : readers) {
      reader.closeBuffers();
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
    stats[stream].read(length);
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
    if (!readers.isEmpty()) {
      relieveSocketMemory();
      return;
    }
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
    acceptStatus(status, "Line " + lineNumber);
  }

  private void acceptStatus(JsonNode status, String where) {
    JsonNode descriptor = status.path("stream_descriptor");
    JsonNode namespace = descriptor.get("namespace");
    StreamDescriptor stream =
        new StreamDescriptor(
            namespace == null || namespace.isNull() ? null : namespace.asText(),
            descriptor.path("name").asText());
    int index = catalog.indexOf(stream);
    if (index < 0) {
      throw new InputException(
          where + ": a stream status for stream '" + stream + "', which is not in the catalog.");
    }
    String value = status.path("status").asText();
    synchronized (complete) {
      if ("COMPLETE".equals(value)) {
        complete[index] = true;
      } else if ("INCOMPLETE".equals(value)) {
        complete[index] = false;
      }
    }
  }

  /** Hands a buffer's records to the flush pool. Caller holds the buffer lock. */
  private void submit(StreamBuffer buffer) {
    submit(buffer, null);
  }

  /**
   * Hands a buffer's records to the flush pool; a socket reader's batch with its partitions' runs.
   * Caller holds the buffer's lock.
   */
  private void submit(StreamBuffer buffer, List<SocketStateTracker.PartitionRun> runs) {
    RecordBatch batch = buffer.drain();
    inFlight.incrementAndGet(batch.streamIndex());
    flushPool.execute(() -> writeBatch(batch, runs));
  }

  private void writeBatch(RecordBatch batch, List<SocketStateTracker.PartitionRun> runs) {
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
      if (runs != null) {
        socketTracker.batchCommitted(runs);
      } else {
        tracker.batchCommitted(batch.streamIndex(), batch.firstSequence(), batch.lastSequence());
      }
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
    for (SocketReader reader : readers) {
      reader.flushOlderThan(now, maxAge);
    }
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
    for (SocketReader reader : readers) {
      reader.flushAll();
    }
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
      completed[i] = complete[i] && states.failure() == null
          && (tracker != null ? tracker.committed(i) == tracker.received(i) : socketTracker.settled(i));
    }
    loaders.closeAll(i -> completed[i])
        .ifPresent(e -> failure.compareAndSet(null, new WriteFailure(e.getMessage(), e.getCause())));
  }

  /** The bytes a socket reader buffers before it adds them to the memory budget at once. */
  private static final long BUDGET_STEP = 256 << 10;

  /** How often a socket sync writes its progress records. */
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private void readSockets(List<Path> paths, DataChannel.Format format, Duration connectTimeout,
      ProgressOutput progress) throws InterruptedException {
    List<SocketReader> created = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      created.add(new SocketReader(i + 1, paths.get(i), format, connectTimeout));
    }
    readers = List.copyOf(created);
    ScheduledExecutorService progressTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "destkit-socket-progress");
      thread.setDaemon(true);
      return thread;
    });
    long[][] reported = new long[1][];
    long interval = PROGRESS_INTERVAL.toMillis();
    progressTimer.scheduleWithFixedDelay(() -> reported[0] = writeProgress(progress, reported[0]), interval, interval,
        TimeUnit.MILLISECONDS);
    List<Thread> threads = new ArrayList<>();
    for (SocketReader reader : readers) {
      Thread thread = new Thread(reader::run, "destkit-socket-" + reader.number);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      readers.forEach(SocketReader::stop);
      throw e;
    } finally {
      progressTimer.shutdownNow();
      long cpu = 0;
      for (SocketReader reader : readers) {
        cpu += reader.cpuNanos;
      }
      readCpuNanos = cpu;
    }
    writeProgress(progress, reported[0]);
  }

  /**
   * Writes one progress record per stream whose counts moved since {@code before} (the platform's
   * {@code isDummyStatsMessage} records: cumulative records and bytes read); returns the counts.
   */
  private long[] writeProgress(ProgressOutput progress, long[] before) {
    int n = catalog.size();
    long[] counts = new long[2 * n];
    for (SocketReader reader : readers) {
      for (int i = 0; i < n; i++) {
        counts[2 * i] += reader.streamRecords[i];
        counts[2 * i + 1] += reader.streamBytes[i];
      }
    }
    List<ObjectNode> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (counts[2 * i] == 0 || before != null && before[2 * i] == counts[2 * i]) {
        continue;
      }
      ObjectNode message = MessageCodec.MAPPER.createObjectNode().put("type", "RECORD");
      ObjectNode record = message.putObject("record");
      StreamDescriptor stream = catalog.messageDescriptor(i);
      if (stream.namespace() != null) {
        record.put("namespace", stream.namespace());
      }
      record.put("stream", stream.name());
      record.put("emitted_at", System.currentTimeMillis());
      record.putObject("data");
      record.put("isDummyStatsMessage", true);
      record.put("emittedRecordsCount", counts[2 * i]);
      record.put("emittedBytesCount", counts[2 * i + 1]);
      records.add(message);
    }
    if (!records.isEmpty()) {
      try {
        progress.write(records);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, new StateTracker.OutputFailure("Cannot write a progress record to stdout ("
            + e.getMessage() + "): the reader of the destination's output has gone.", e));
        writeFailed = true;
        budget.abort();
        readers.forEach(SocketReader::stop);
      }
    }
    return counts;
  }

  /** Stops every socket reader after a failure (closing a socket ends a read that waits). */
  private void failSockets(Throwable e) {
    failure.compareAndSet(null, e);
    readers.forEach(SocketReader::stop);
  }

  /**
   * Flushes the largest buffers of the socket readers until what stays is at most half the budget,
   * then waits for flushes (see {@link #relieveMemory}). Takes one reader's lock at a time.
   */
  private void relieveSocketMemory() throws InterruptedException {
    record Candidate(SocketReader reader, int stream, long bytes) {}
    List<Candidate> candidates = new ArrayList<>();
    long buffered = 0;
    for (SocketReader reader : readers) {
      reader.lock.lock();
      try {
        for (int i = 0; i < reader.buffers.length; i++) {
          StreamBuffer buffer = reader.buffers[i];
          if (buffer != null && !buffer.isEmpty()) {
            candidates.add(new Candidate(reader, i, buffer.bytes()));
            buffered += buffer.bytes();
          }
        }
      } finally {
        reader.lock.unlock();
      }
    }
    candidates.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
    long states = socketTracker.heldBytes();
    for (Candidate candidate : candidates) {
      if (buffered + states <= budget.limit() / 2) {
        break;
      }
      buffered -= candidate.bytes();
      candidate.reader().lock.lock();
      try {
        candidate.reader().submit(candidate.stream());
      } finally {
        candidate.reader().lock.unlock();
      }
    }
    budget.awaitAtMost(budget.limit());
  }

  /**
   * Reads one socket of the socket data channel on its own thread: connects, parses each message,
   * buffers records per stream, hands full buffers to the flush pool. Each stream's records get raw
   * ids from a block of the tracker's; the buffer remembers which partition each run of records
   * belongs to, so that the tracker can tie committed records to their states.
   */
  private final class SocketReader {
    final int number;
    final Path path;
    final DataChannel.Format format;
    final Duration connectTimeout;
    final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    final StreamBuffer[] buffers;
    final long[] blockHigh;
    final long[] nextSequence;
    final boolean[] hasBlock;
    /** The partition run each stream's buffer ends with (its records after the last run of runs). */
    final String[] runPartition;
    final long[] runFirst;
    final long[] runBytes;
    final List<SocketStateTracker.PartitionRun>[] runs;
    // Reading thread only; read by other threads for progress.
    final long[] streamRecords;
    final long[] streamBytes;
    volatile long recordsRead;
    volatile long bytesRead;
    volatile long cpuNanos;
    private final Map<String, Long> arrived = new HashMap<>();
    private String lastPartition;
    private long lastPartitionCount;
    /** Records and buffered bytes not yet added to the shared counters and the budget. */
    private long unreportedRecords;
    private long unbudgeted;
    /** The bytes read from the socket so far (published in {@link #bytesRead} in steps). */
    private long bytesSoFar;
    private volatile SocketChannel channel;
    private volatile boolean stopping;
    private final ParseTurns.Turn turns = parseTurns.turn();
    private long position;

    @SuppressWarnings("unchecked")
    SocketReader(int number, Path path, DataChannel.Format format, Duration connectTimeout) {
      this.number = number;
      this.path = path;
      this.format = format;
      this.connectTimeout = connectTimeout;
      int n = catalog.size();
      buffers = new StreamBuffer[n];
      blockHigh = new long[n];
      nextSequence = new long[n];
      hasBlock = new boolean[n];
      runPartition = new String[n];
      runFirst = new long[n];
      runBytes = new long[n];
      runs = new List[n];
      streamRecords = new long[n];
      streamBytes = new long[n];
    }

    void run() {
      long cpuStart = threadCpuNanos();
      try {
        SocketChannel connected = UnixSockets.connect(path, connectTimeout);
        channel = connected;
        if (stopping) {
          return;
        }
        InputStream in = Channels.newInputStream(connected);
        if (format == DataChannel.Format.PROTOBUF) {
          readFrames(in);
        } else {
          readLines(in);
        }
        report();
      } catch (InputException e) {
        failSockets(e);
      } catch (IOException e) {
        if (!stopping) {
          failSockets(new InputException("Cannot read the socket " + path + ": " + e.getMessage(), e));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failSockets(e);
      } catch (RuntimeException e) {
        failSockets(e);
      } finally {
        turns.yieldTurn();
        recordsRead += unreportedRecords;
        unreportedRecords = 0;
        bytesRead = bytesSoFar;
        cpuNanos = threadCpuNanos() - cpuStart;
        closeChannel();
        endBlocks();
      }
    }

    private void readFrames(InputStream in) throws IOException, InterruptedException {
      java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(in, 1 << 16);
      FrameReader frames = new FrameReader(buffered,
          Math.min(1 << 20, settings.maxLineBytes()), settings.maxLineBytes());
      MessageParser parser = new MessageParser(catalog, tables, limits, rawIdFloor);
      ParsedLine line = new ParsedLine();
      String where = "the socket " + path;
      while (true) {
        try {
          if (buffered.available() == 0) {
            // The next read may wait for the source: no turn is held while it does.
            turns.yieldTurn();
          }
          if (!frames.next()) {
            return;
          }
        } catch (IOException e) {
          if (stopping) {
            return;
          }
          throw new InputException("The socket " + path + ": " + e.getMessage()
              + ". The message framing is broken (each message is a varint length, then that many bytes).", e);
        }
        if (failure.get() != null) {
          return;
        }
        position = frames.frameNumber();
        turns.take();
        try {
          parser.parseProtobuf(frames.buffer(), 0, frames.frameLength(), where, line);
        } catch (InputException e) {
          throw new InputException("Message " + position + " of " + e.getMessage(), e);
        }
        bytesSoFar = frames.bytesRead();
        accept(line, frames.frameLength());
      }
    }

    private void readLines(InputStream in) throws IOException, InterruptedException {
      LineReader lines = new LineReader(in, Math.min(1 << 20, settings.maxLineBytes()), settings.maxLineBytes());
      MessageParser parser = new MessageParser(catalog, tables, limits, rawIdFloor);
      ParsedLine line = new ParsedLine();
      while (true) {
        try {
          if (!lines.next()) {
            return;
          }
        } catch (LineTooLongException e) {
          throw new InputException("Line " + e.lineNumber() + " of the socket " + path + " is longer than the maximum"
              + " of " + megabytes(e.maxLineBytes()) + ". Raise it with the system property destkit.line.mb, and the"
              + " heap (-Xmx) to about 16 times that.", e);
        }
        if (failure.get() != null) {
          return;
        }
        position = lines.lineNumber();
        turns.take();
        try {
          parser.parse(lines.buffer(), lines.lineStart(), lines.lineLength(), lines.lineNumber(), line);
        } catch (InputException e) {
          throw new InputException("The socket " + path + ": " + e.getMessage(), e);
        }
        bytesSoFar = lines.bytesRead();
        accept(line, lines.lineLength());
      }
    }

    /** Where the message being read is, for errors: its number on this socket. */
    private String where() {
      return (format == DataChannel.Format.PROTOBUF ? "Message " : "Line ") + position + " of the socket " + path;
    }

    private void accept(ParsedLine line, int length) throws InterruptedException {
      switch (line.kind) {
        case RECORD -> acceptRecord(line, length);
        case STATE -> {
          report();
          long heldBytes = (long) STATE_BYTES_PER_INPUT_BYTE * length + STATE_OVERHEAD;
          budget.add(heldBytes);
          socketTracker.stateReceived(line.message, heldBytes, where());
          if (budget.overLimit()) {
            relieveMemory();
          }
        }
        case STREAM_STATUS -> acceptStatus(line.message.path("trace").path("stream_status"), where());
        default -> { }
      }
    }

    private void acceptRecord(ParsedLine line, int length) throws InterruptedException {
      int stream = line.streamIndex;
      stats[stream].read(length);
      String partition = line.partitionId;
      if (partition == null || partition.isEmpty()) {
        throw new InputException(where() + ": a record of stream '" + catalog.messageDescriptor(stream) + "' has no"
            + " partition_id. In the socket data channel each record names the partition its STATE counts.");
      }
      if (line.nulledValues > 0) {
        stats[stream].nulledValues.addAndGet(line.nulledValues);
      }
      long recordBytes;
      lock.lock();
      try {
        if (!hasBlock[stream]) {
          blockHigh[stream] = socketTracker.openBlock(stream);
          hasBlock[stream] = true;
        }
        StreamBuffer buffer = buffers[stream];
        if (buffer == null) {
          buffer = new StreamBuffer(stream, new BatchColumns.Builder(tables.get(stream).columns(), limits.numbers(),
              allocator));
          buffers[stream] = buffer;
          runs[stream] = new ArrayList<>();
        }
        long sequence = nextSequence[stream]++;
        if (runPartition[stream] == null) {
          runPartition[stream] = partition;
          runFirst[stream] = sequence;
        } else if (!runPartition[stream].equals(partition)) {
          endRun(stream, sequence - 1);
          runPartition[stream] = partition;
          runFirst[stream] = sequence;
        }
        runBytes[stream] += length;
        recordBytes = buffer.add(sequence + 1, blockHigh[stream], SocketStateTracker.rawIdLow(sequence),
            line.extractedAtMillis, line.changes, line.values, nanoClock.getAsLong());
        if (buffer.bytes() >= settings.batchBytes() || buffer.count() >= settings.batchRecords()) {
          submit(stream);
        }
      } finally {
        lock.unlock();
      }
      if (!partition.equals(lastPartition)) {
        countArrived();
        lastPartition = partition;
      }
      lastPartitionCount++;
      streamRecords[stream]++;
      streamBytes[stream] += length;
      // The shared counters and the budget are moved in steps: several readers updating them for
      // every record contend for them.
      unreportedRecords++;
      unbudgeted += recordBytes;
      if (unbudgeted >= BUDGET_STEP) {
        report();
      }
    }

    /** Moves this reader's counts into the shared counters and the memory budget. */
    private void report() throws InterruptedException {
      recordsRead += unreportedRecords;
      unreportedRecords = 0;
      bytesRead = bytesSoFar;
      budget.add(unbudgeted);
      unbudgeted = 0;
      if (budget.overLimit()) {
        relieveMemory();
      }
    }

    private void countArrived() {
      if (lastPartition != null && lastPartitionCount > 0) {
        arrived.merge(lastPartition, lastPartitionCount, Long::sum);
      }
      lastPartitionCount = 0;
    }

    /** Ends the buffer's last run at {@code last}. Caller holds lock. */
    private void endRun(int stream, long last) {
      runs[stream].add(new SocketStateTracker.PartitionRun(runPartition[stream], stream, blockHigh[stream],
          runFirst[stream], last, runBytes[stream]));
      runPartition[stream] = null;
      runBytes[stream] = 0;
    }

    /** Hands a stream's buffer to the flush pool with its runs. Caller holds lock. */
    void submit(int stream) {
      StreamBuffer buffer = buffers[stream];
      if (buffer == null || buffer.isEmpty()) {
        return;
      }
      if (runPartition[stream] != null) {
        endRun(stream, nextSequence[stream] - 1);
      }
      List<SocketStateTracker.PartitionRun> batchRuns = runs[stream];
      runs[stream] = new ArrayList<>();
      WritePipeline.this.submit(buffer, batchRuns);
    }

    void flushOlderThan(long now, long maxAge) {
      if (!lock.tryLock()) {
        return;
      }
      try {
        for (int i = 0; i < buffers.length; i++) {
          if (buffers[i] != null && !buffers[i].isEmpty() && now - buffers[i].oldestNanos() >= maxAge) {
            submit(i);
          }
        }
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      } finally {
        lock.unlock();
      }
    }

    void flushAll() {
      lock.lock();
      try {
        for (int i = 0; i < buffers.length; i++) {
          submit(i);
        }
      } finally {
        lock.unlock();
      }
    }

    void closeBuffers() {
      lock.lock();
      try {
        for (StreamBuffer buffer : buffers) {
          if (buffer != null) {
            buffer.close();
          }
        }
      } finally {
        lock.unlock();
      }
    }

    /** The socket gives no more records: its blocks are closed and its partitions' counts reported. */
    private void endBlocks() {
      lock.lock();
      try {
        for (int i = 0; i < hasBlock.length; i++) {
          if (hasBlock[i]) {
            socketTracker.closeBlock(i, blockHigh[i], nextSequence[i]);
          }
        }
      } finally {
        lock.unlock();
      }
      countArrived();
      socketTracker.recordsArrived(arrived);
    }

    /** Ends this reader's reading: a read that waits on the socket returns. */
    void stop() {
      stopping = true;
      closeChannel();
    }

    private void closeChannel() {
      SocketChannel open = channel;
      if (open != null) {
        try {
          open.close();
        } catch (IOException ignored) {
          // Closing is all that is asked; the reader stops either way.
        }
      }
    }
  }

  /** A bulk write or a finalisation that failed. */
  public static final class WriteFailure extends RuntimeException {
    WriteFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
