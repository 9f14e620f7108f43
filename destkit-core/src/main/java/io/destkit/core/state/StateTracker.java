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
  private record Pending(ObjectNode message, int stream, long required, long[] requiredAll) {}

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
        entry = new Pending(message, -1, 0, null);
      } else {
        count = received[stream] - streamMarks[stream];
        streamMarks[stream] = received[stream];
        entry = new Pending(message, stream, received[stream], null);
      }
    } else {
      count = totalReceived - globalMark;
      globalMark = totalReceived;
      entry = new Pending(message, -1, 0, Arrays.copyOf(received, received.length));
    }
    if (state.isObject()) {
      JsonNode stats = state.get("destinationStats");
      ObjectNode target =
          stats instanceof ObjectNode existing ? existing : ((ObjectNode) state).putObject("destinationStats");
      target.put("recordCount", (double) count);
    }
    synchronized (this) {
      pending.addLast(entry);
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

  private void drain() {
    while (!pending.isEmpty() && satisfied(pending.peekFirst())) {
      emitter.accept(pending.pollFirst().message());
      emitted++;
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
