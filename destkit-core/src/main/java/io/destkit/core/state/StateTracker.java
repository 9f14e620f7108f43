package io.destkit.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Holds each STATE message until every record before it in its scope is committed, then emits it
 * unchanged except for {@code destinationStats.recordCount}. STREAM states cover their stream;
 * GLOBAL states and states without a type (LEGACY) cover all streams. States are emitted in the
 * order they arrived: a satisfied state waits behind an unsatisfied one.
 *
 * <p>Records are numbered per stream from 1 in arrival order. {@link #recordReceived} and {@link
 * #stateReceived} are called by the reading thread; {@link #batchCommitted} by flush threads.
 */
public final class StateTracker {
  private record Pending(ObjectNode message, int stream, long required, long[] requiredAll, long heldBytes) {}

  private final DestinationCatalog catalog;
  private final Consumer<ObjectNode> emitter;
  // Reading thread only.
  private final long[] received;
  private final long[] streamMarks;
  private long totalReceived;
  private long globalMark;
  // Guarded by this.
  private final long[] committed;
  private final TreeMap<Long, Long>[] completedAhead;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private long emitted;
  private long heldBytes;
  private LongConsumer release = bytes -> { };

  @SuppressWarnings("unchecked")
  public StateTracker(DestinationCatalog catalog, Consumer<ObjectNode> emitter) {
    this.catalog = catalog;
    this.emitter = emitter;
    int n = catalog.size();
    received = new long[n];
    streamMarks = new long[n];
    committed = new long[n];
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

  public long received(int stream) {
    return received[stream];
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
        entry = new Pending(message, -1, 0, null, heldBytes);
      } else {
        count = received[stream] - streamMarks[stream];
        streamMarks[stream] = received[stream];
        entry = new Pending(message, stream, received[stream], null, heldBytes);
      }
    } else {
      count = totalReceived - globalMark;
      globalMark = totalReceived;
      entry = new Pending(message, -1, 0, Arrays.copyOf(received, received.length), heldBytes);
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
      drain();
    }
  }

  /** Marks records {@code first..last} of a stream as durably committed. */
  public synchronized void batchCommitted(int stream, long first, long last) {
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
    drain();
  }

  public synchronized long committed(int stream) {
    return committed[stream];
  }

  /** States received but not yet emitted. */
  public synchronized int pendingCount() {
    return pending.size();
  }

  public synchronized long emittedCount() {
    return emitted;
  }

  /** The memory held by states received but not yet emitted, as given to {@link #stateReceived}. */
  public synchronized long heldBytes() {
    return heldBytes;
  }

  /** Receives the held bytes of each state once it is emitted (the write pipeline's memory budget). */
  public synchronized void onRelease(LongConsumer release) {
    this.release = release;
  }

  private void drain() {
    while (!pending.isEmpty() && satisfied(pending.peekFirst())) {
      Pending entry = pending.pollFirst();
      emitter.accept(entry.message());
      emitted++;
      heldBytes -= entry.heldBytes();
      release.accept(entry.heldBytes());
    }
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
}
