package io.destkit.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.RawId;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

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
public final class StateTracker extends StateEmission<List<StateTracker.Pending>> {
  /**
   * A state waiting for its records. STREAM states have {@code stream} and {@code required};
   * GLOBAL and LEGACY states have {@code requiredAll}. {@code marks} holds the last raw id of each
   * covered stream when the state arrived (null entries: no record yet).
   */
  record Pending(
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
  // Guarded by emitLock.
  private final RawId[] recorded;

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
    super(output);
    this.catalog = catalog;
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
      hold(heldBytes);
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
  protected boolean hasReady() {
    return !pending.isEmpty() && satisfied(pending.peekFirst());
  }

  @Override
  protected List<Pending> takeReady() {
    List<Pending> ready = new ArrayList<>();
    while (!pending.isEmpty() && satisfied(pending.peekFirst())) {
      ready.add(pending.pollFirst());
    }
    emitting = ready.size();
    return ready.isEmpty() ? null : ready;
  }

  /** Records the checkpoints the states cover, then writes them. Caller holds emitLock. */
  @Override
  protected void publish(List<Pending> ready) throws Exception {
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
    Map<Integer, String> states = coveredStates(ready);
    if (!marks.isEmpty() || !states.isEmpty()) {
      Map<Integer, CheckpointStore.Coverage> coverage = new LinkedHashMap<>();
      marks.forEach((stream, mark) -> coverage.put(stream, new CheckpointStore.Coverage(mark, List.of())));
      try {
        store.advanceCoverage(coverage, states);
      } catch (Exception e) {
        throw checkpointFailure(ready.size(), e);
      }
      marks.forEach((stream, mark) -> recorded[stream] = mark);
    }
    List<ObjectNode> messages = new ArrayList<>(ready.size());
    long bytes = 0;
    for (Pending entry : ready) {
      messages.add(entry.message());
      bytes += entry.heldBytes();
    }
    write(messages);
    emitted(ready.size(), bytes);
  }

  /**
   * The last state of the group that covers each stream, as JSON: a STREAM state its stream's, a
   * GLOBAL or LEGACY state every stream's. A STREAM state of a stream outside the catalog covers none.
   */
  private Map<Integer, String> coveredStates(List<Pending> ready) {
    Map<Integer, String> states = new LinkedHashMap<>();
    for (Pending entry : ready) {
      if (entry.requiredAll() != null) {
        String json = MessageCodec.encode(entry.message());
        for (int i = 0; i < entry.requiredAll().length; i++) {
          states.put(i, json);
        }
      } else if (entry.stream() >= 0) {
        states.put(entry.stream(), MessageCodec.encode(entry.message()));
      }
    }
    return states;
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
