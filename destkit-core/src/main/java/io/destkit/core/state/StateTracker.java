package io.destkit.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.RawId;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Holds each STATE message until every record before it in its scope is committed, then emits it
 * unchanged except for {@code destinationStats.recordCount}. STREAM states cover their stream;
 * GLOBAL states and states without a type (LEGACY) cover all streams. States are emitted in the
 * order they arrived: a satisfied state waits behind an unsatisfied one.
 *
 * <p>Before states are written, the raw id of the last record they cover is recorded in the {@link
 * CheckpointStore} (one call for all the states that became ready together), so that a later
 * attempt can remove the rows committed after them.
 *
 * <p>Records are numbered per stream from 1 in arrival order. {@link #recordReceived} and {@link
 * #stateReceived} are called by the reading thread; {@link #batchCommitted} by flush threads.
 * Whichever thread finds states ready emits them, one thread at a time; the others go on without
 * waiting, so a slow reader of stdout holds up no flush and no read. The tracker's lock is never
 * held while recording or writing.
 */
public final class StateTracker implements StateTracking {
  /**
   * A state waiting for its records. STREAM states have {@code stream} and {@code required};
   * GLOBAL and LEGACY states have {@code requiredAll}. {@code marks} holds the last raw id of each
   * covered stream when the state arrived (null entries: no record yet).
   */
  private record Pending(
      ObjectNode message, int stream, long required, long[] requiredAll, RawId[] marks, long heldBytes) {}

  private static final CheckpointStore NO_STORE = new CheckpointStore() {
    @Override
    public List<java.util.Optional<Checkpoint>> load() {
      return List.of();
    }

    @Override
    public void begin(RawId floor) {
    }

    @Override
    public void advance(Map<Integer, RawId> marks) {
    }

    @Override
    public void finish(RawId end) {
    }
  };

  private final DestinationCatalog catalog;
  private final StateOutput output;
  private final CheckpointStore store;
  // Reading thread only.
  private final long[] received;
  private final long[] streamMarks;
  /** The raw id of each stream's last record (high and low bits; {@code hasLast} false before its first). */
  private final long[] lastHigh;
  private final long[] lastLow;
  private final boolean[] hasLast;
  private long totalReceived;
  private long globalMark;
  // Guarded by this.
  private final long[] committed;
  private final TreeMap<Long, Long>[] completedAhead;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private int emitting;
  private long emitted;
  private long heldBytes;
  private LongConsumer release = bytes -> { };
  private Consumer<Exception> onFailure = e -> { };
  // Guarded by emitLock.
  private final ReentrantLock emitLock = new ReentrantLock();
  private final RawId[] recorded;
  private volatile Exception failure;

  /**
   * Where the tracker writes the states that became ready together: all of them at once, so that a
   * crash right after their checkpoint leaves no state of the group unwritten but for that instant.
   */
  @FunctionalInterface
  public interface StateOutput {
    void write(List<ObjectNode> states);
  }

  /** A tracker that writes states one by one without recording checkpoints (tests, tools). */
  public StateTracker(DestinationCatalog catalog, Consumer<ObjectNode> emitter) {
    this(catalog, emitter, NO_STORE);
  }

  /** A tracker that writes states one by one. */
  public StateTracker(DestinationCatalog catalog, Consumer<ObjectNode> emitter, CheckpointStore store) {
    this(catalog, store, states -> states.forEach(emitter));
  }

  /**
   * A tracker that writes each group of states that became ready together in one call of {@code
   * output} (for stdout: one write), right after recording their checkpoint.
   */
  public static StateTracker writingGroups(DestinationCatalog catalog, StateOutput output, CheckpointStore store) {
    return new StateTracker(catalog, store, output);
  }

  @SuppressWarnings("unchecked")
  private StateTracker(DestinationCatalog catalog, CheckpointStore store, StateOutput output) {
    this.catalog = catalog;
    this.output = output;
    this.store = store;
    int n = catalog.size();
    received = new long[n];
    streamMarks = new long[n];
    lastHigh = new long[n];
    lastLow = new long[n];
    hasLast = new boolean[n];
    committed = new long[n];
    recorded = new RawId[n];
    completedAhead = new TreeMap[n];
    for (int i = 0; i < n; i++) {
      completedAhead[i] = new TreeMap<>();
    }
  }

  /** Counts a record of a stream and returns its sequence number. */
  public long recordReceived(int stream) {
    totalReceived++;
    return ++received[stream];
  }

  /** Counts a record of a stream with its raw id (the mark its states record) and returns its sequence number. */
  public long recordReceived(int stream, long rawIdHigh, long rawIdLow) {
    lastHigh[stream] = rawIdHigh;
    lastLow[stream] = rawIdLow;
    hasLast[stream] = true;
    return recordReceived(stream);
  }

  public long received(int stream) {
    return received[stream];
  }

  /** The raw id of the last record received, over all streams (null when none was). */
  public RawId lastRawId() {
    RawId last = null;
    for (int i = 0; i < hasLast.length; i++) {
      last = RawId.max(last, lastRawId(i));
    }
    return last;
  }

  private RawId[] lastRawIds() {
    RawId[] ids = new RawId[hasLast.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = lastRawId(i);
    }
    return ids;
  }

  private RawId lastRawId(int stream) {
    return hasLast[stream] ? new RawId(lastHigh[stream], lastLow[stream]) : null;
  }

  /** Registers a STATE message (the whole message); it is emitted once its records are committed. */
  public void stateReceived(ObjectNode message) {
    stateReceived(message, 0);
  }

  /**
   * Registers a STATE message that holds {@code heldBytes} of memory until it is emitted; those
   * bytes are then given to the {@link #onRelease} consumer.
   */
  public void stateReceived(ObjectNode message, long heldBytes) {
    JsonNode state = message.path("state");
    String type = state.path("type").asText("LEGACY");
    Pending entry;
    long count;
    if ("STREAM".equals(type)) {
      JsonNode descriptor = state.path("stream").path("stream_descriptor");
      JsonNode namespace = descriptor.get("namespace");
      int stream =
          catalog.indexOf(
              new StreamDescriptor(
                  namespace == null || namespace.isNull() ? null : namespace.asText(),
                  descriptor.path("name").asText()));
      if (stream < 0) {
        count = 0;
        entry = new Pending(message, -1, 0, null, null, heldBytes);
      } else {
        count = received[stream] - streamMarks[stream];
        streamMarks[stream] = received[stream];
        RawId[] marks = new RawId[received.length];
        marks[stream] = lastRawId(stream);
        entry = new Pending(message, stream, received[stream], null, marks, heldBytes);
      }
    } else {
      count = totalReceived - globalMark;
      globalMark = totalReceived;
      entry = new Pending(
          message, -1, 0, Arrays.copyOf(received, received.length), lastRawIds(), heldBytes);
    }
    if (state.isObject()) {
      JsonNode stats = state.get("destinationStats");
      ObjectNode target =
          stats instanceof ObjectNode existing ? existing : ((ObjectNode) state).putObject("destinationStats");
      target.put("recordCount", (double) count);
    }
    synchronized (this) {
      pending.addLast(entry);
      this.heldBytes += heldBytes;
    }
    emitReady();
  }

  /** Marks records {@code first..last} of a stream as durably committed. */
  public void batchCommitted(int stream, long first, long last) {
    synchronized (this) {
      if (first == committed[stream] + 1) {
        committed[stream] = last;
        TreeMap<Long, Long> ahead = completedAhead[stream];
        Long next;
        while ((next = ahead.remove(committed[stream] + 1)) != null) {
          committed[stream] = next;
        }
      } else {
        completedAhead[stream].put(first, last);
      }
    }
    emitReady();
  }

  public synchronized long committed(int stream) {
    return committed[stream];
  }

  /** States received but not yet emitted. */
  public synchronized int pendingCount() {
    return pending.size() + emitting;
  }

  @Override
  public synchronized long emittedCount() {
    return emitted;
  }

  /** The memory held by states received but not yet emitted, as given to {@link #stateReceived}. */
  @Override
  public synchronized long heldBytes() {
    return heldBytes;
  }

  /** Receives the held bytes of each state once it is emitted (the write pipeline's memory budget). */
  @Override
  public synchronized void onRelease(LongConsumer release) {
    this.release = release;
  }

  /**
   * Receives the failure that stopped emission: a checkpoint that could not be recorded, or a
   * stdout that cannot be written. No state is emitted after it.
   */
  @Override
  public synchronized void onFailure(Consumer<Exception> onFailure) {
    this.onFailure = onFailure;
  }

  /** The failure that stopped emission, or null. */
  @Override
  public Exception failure() {
    return failure;
  }

  /** Emits every state that is ready, waiting for an emission in progress (the end of a sync). */
  @Override
  public void emitReadyNow() {
    emitLock.lock();
    try {
      emitTaken();
    } finally {
      emitLock.unlock();
    }
  }

  /**
   * Emits the states that are ready unless another thread is emitting: that thread looks again for
   * ready states after it lets go, so none is left behind.
   */
  private void emitReady() {
    do {
      if (!emitLock.tryLock()) {
        return;
      }
      try {
        emitTaken();
      } finally {
        emitLock.unlock();
      }
    } while (failure == null && hasReady());
  }

  /** Caller holds emitLock. */
  private void emitTaken() {
    List<Pending> ready;
    while (failure == null && !(ready = takeReady()).isEmpty()) {
      try {
        publish(ready);
      } catch (Exception e) {
        failure = e;
        Consumer<Exception> callback;
        synchronized (this) {
          emitting = 0;
          callback = onFailure;
        }
        callback.accept(e);
      }
    }
  }

  private synchronized boolean hasReady() {
    return !pending.isEmpty() && satisfied(pending.peekFirst());
  }

  private synchronized List<Pending> takeReady() {
    List<Pending> ready = new ArrayList<>();
    while (!pending.isEmpty() && satisfied(pending.peekFirst())) {
      ready.add(pending.pollFirst());
    }
    emitting = ready.size();
    return ready;
  }

  /** Records the checkpoints the states cover, then writes them. Caller holds emitLock. */
  private void publish(List<Pending> ready) throws Exception {
    Map<Integer, RawId> marks = new LinkedHashMap<>();
    for (Pending entry : ready) {
      if (entry.marks() == null) {
        continue;
      }
      for (int i = 0; i < entry.marks().length; i++) {
        RawId mark = entry.marks()[i];
        if (mark != null && (recorded[i] == null || mark.compareTo(recorded[i]) > 0)) {
          marks.merge(i, mark, RawId::max);
        }
      }
    }
    if (!marks.isEmpty()) {
      try {
        store.advance(marks);
      } catch (Exception e) {
        throw new CheckpointFailure(
            "Recording the position of " + ready.size() + " STATE message(s) in the destination failed, so they were"
                + " not emitted: " + e.getMessage(), e);
      }
      marks.forEach((stream, mark) -> recorded[stream] = mark);
    }
    List<ObjectNode> messages = new ArrayList<>(ready.size());
    long bytes = 0;
    for (Pending entry : ready) {
      messages.add(entry.message());
      bytes += entry.heldBytes();
    }
    try {
      output.write(messages);
    } catch (RuntimeException e) {
      throw new OutputFailure(
          "Cannot write a STATE message to stdout (" + e.getMessage() + "): the reader of the destination's output"
              + " has gone. The records committed after the last STATE written are removed by the next attempt,"
              + " whose source sends them again.", e);
    }
    LongConsumer releaseTo;
    synchronized (this) {
      emitted += ready.size();
      emitting -= ready.size();
      heldBytes -= bytes;
      releaseTo = release;
    }
    releaseTo.accept(bytes);
  }

  private boolean satisfied(Pending entry) {
    if (entry.requiredAll() == null) {
      return entry.stream() < 0 || committed[entry.stream()] >= entry.required();
    }
    long[] required = entry.requiredAll();
    for (int i = 0; i < required.length; i++) {
      if (committed[i] < required[i]) {
        return false;
      }
    }
    return true;
  }

  /** The checkpoint store could not record a state's position: the state was not emitted. */
  public static final class CheckpointFailure extends RuntimeException {
    CheckpointFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Stdout cannot be written: the sync cannot report progress any more. */
  public static final class OutputFailure extends RuntimeException {
    public OutputFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
