package io.destkit.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.InputException;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The states of the socket data channel. Records arrive on several sockets at once and each
 * carries a {@code partition_id}; each STATE carries the {@code partition_id} of its records, their
 * number ({@code sourceStats.recordCount}) and an {@code id}. A state is ready once as many records
 * of its partition(s) are committed as it counts, and states are emitted in {@code id} order: per
 * stream for STREAM states, in one sequence for GLOBAL states. The echo keeps the state as it came
 * and sets {@code destinationStats.recordCount}, and the cumulative {@code committedRecordsCount}
 * and {@code committedBytesCount} of its stream (GLOBAL: the totals on the state, each stream's own
 * on its {@code stream_states} entry).
 *
 * <p>Exactly once across crashes: each socket reader takes its own block of raw ids per stream
 * ({@link #openBlock}), one value of the UUID's high 64 bits, and numbers its records in it. The
 * rows an emitted state covers are then ranges of raw ids, and before states are written the
 * {@link CheckpointStore} records, per stream, a mark (every row up to it is covered) and the
 * covered ranges above it. A later attempt removes the rows above the mark outside those ranges.
 *
 * <p>Thread safety: every method may be called from any thread. Emission runs on one thread at a
 * time, never under the tracker's lock ({@link StateEmission}).
 */
public final class SocketStateTracker extends StateEmission<SocketStateTracker.Ready> {
  /** The variant bits of every raw id's low half. */
  private static final long VARIANT = 0x8000000000000000L;
  private static final String GLOBAL = "GLOBAL";

  /**
   * Committed records of one partition in one block: sequence numbers {@code first..last} of the
   * block of raw ids {@code blockHigh} of a stream, which took {@code bytes} of input.
   */
  public record PartitionRun(String partitionId, int stream, long blockHigh, long first, long last, long bytes) {
    public long records() {
      return last - first + 1;
    }
  }

  private static final class Partition {
    long records;
    final List<PartitionRun> runs = new ArrayList<>();
  }

  /** A block of raw ids of one stream: its covered prefix and the covered ranges above it. */
  private static final class Block {
    final long high;
    boolean closed;
    long allocated;
    long prefixEnd;
    final TreeMap<Long, Long> above = new TreeMap<>();

    Block(long high) {
      this.high = high;
    }

    void cover(long first, long last) {
      if (first <= prefixEnd) {
        prefixEnd = Math.max(prefixEnd, last + 1);
        Map.Entry<Long, Long> next;
        while ((next = above.firstEntry()) != null && next.getKey() <= prefixEnd) {
          prefixEnd = Math.max(prefixEnd, next.getValue() + 1);
          above.pollFirstEntry();
        }
        return;
      }
      Map.Entry<Long, Long> before = above.floorEntry(first);
      if (before != null && before.getValue() + 1 >= first) {
        first = before.getKey();
        last = Math.max(last, before.getValue());
      }
      Map.Entry<Long, Long> after;
      while ((after = above.higherEntry(first)) != null && after.getKey() <= last + 1) {
        last = Math.max(last, after.getValue());
        above.remove(after.getKey());
      }
      above.put(first, last);
    }

    boolean done() {
      return closed && prefixEnd >= allocated;
    }

    RawId id(long sequence) {
      return new RawId(high, VARIANT | sequence);
    }
  }

  private static final class Pending {
    final ObjectNode message;
    final String scope;
    final int stream;
    final long id;
    final List<String> partitions;
    final long expected;
    final long heldBytes;
    final String where;

    Pending(ObjectNode message, String scope, int stream, long id, List<String> partitions, long expected,
        long heldBytes, String where) {
      this.message = message;
      this.scope = scope;
      this.stream = stream;
      this.id = id;
      this.partitions = partitions;
      this.expected = expected;
      this.heldBytes = heldBytes;
      this.where = where;
    }
  }

  /** A scope's states, by id, and the id it emits next. */
  private static final class Queue {
    final TreeMap<Long, Pending> waiting = new TreeMap<>();
    long next = 1;
    String label;
  }

  private final DestinationCatalog catalog;
  private final CheckpointStore store;
  private final RawId floor;
  // Guarded by this.
  private long lastHigh;
  private final Map<String, Partition> partitions = new HashMap<>();
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private final TreeMap<Long, Block>[] blocks;
  /** Each stream's mark: every raw id up to it is covered by emitted states. */
  private final RawId[] marks;
  private final CheckpointStore.Coverage[] recorded;
  private final long[] committedRecords;
  private final long[] committedBytes;
  private final Map<String, Long> arrived = new HashMap<>();

  /**
   * @param floor every raw id this attempt gives is above it (see {@link CheckpointStore#begin})
   */
  @SuppressWarnings("unchecked")
  public SocketStateTracker(
      DestinationCatalog catalog, StateTracker.StateOutput output, CheckpointStore store, RawId floor) {
    super(output);
    this.catalog = catalog;
    this.store = store;
    this.floor = floor;
    this.lastHigh = floor == null ? 0 : floor.high();
    int n = catalog.size();
    blocks = new TreeMap[n];
    marks = new RawId[n];
    recorded = new CheckpointStore.Coverage[n];
    committedRecords = new long[n];
    committedBytes = new long[n];
    for (int i = 0; i < n; i++) {
      blocks[i] = new TreeMap<>();
      marks[i] = floor;
    }
  }

  /**
   * A new block of raw ids for a stream's records read by one socket reader: the high 64 bits of
   * each of its raw ids, above every block given before and above the floor. The reader numbers its
   * records in the block from 0 ({@link #rawIdLow}).
   */
  public synchronized long openBlock(int stream) {
    long now = System.currentTimeMillis();
    long high = (now << 16) | 0x7000L;
    if (Long.compareUnsigned(high, lastHigh) <= 0) {
      high = (lastHigh & 0xFFF) == 0xFFF ? (((lastHigh >>> 16) + 1) << 16) | 0x7000L : lastHigh + 1;
    }
    lastHigh = high;
    blocks[stream].put(high, new Block(high));
    return high;
  }

  /** The low 64 bits of the raw id of a block's record number {@code sequence} (from 0). */
  public static long rawIdLow(long sequence) {
    return VARIANT | sequence;
  }

  /** A reader gives no more raw ids of this block: it numbered {@code allocated} records in it. */
  public synchronized void closeBlock(int stream, long high, long allocated) {
    Block block = blocks[stream].get(high);
    if (block != null) {
      block.closed = true;
      block.allocated = allocated;
    }
  }

  /** Records the number of records of each partition a reader read (for the end-of-sync report). */
  public synchronized void recordsArrived(Map<String, Long> byPartition) {
    byPartition.forEach((partition, count) -> arrived.merge(partition, count, Long::sum));
  }

  /** The greatest raw id this attempt may have given (null when it gave none). */
  public synchronized RawId lastRawId() {
    return lastHigh == 0 || floor != null && lastHigh == floor.high() ? null : new RawId(lastHigh, 0xBFFFFFFFFFFFFFFFL);
  }

  /**
   * Registers a STATE message (the whole message, as it came) that holds {@code heldBytes} of memory
   * until it is emitted.
   *
   * @param where the socket and message number, for errors
   * @throws InputException naming {@code where} when the state lacks what ties it to its records, or
   *     repeats an id
   */
  public void stateReceived(ObjectNode message, long heldBytes, String where) {
    JsonNode state = message.path("state");
    String type = state.path("type").asText("LEGACY");
    int stream = -1;
    String scope;
    String label;
    if ("STREAM".equals(type)) {
      StreamDescriptor descriptor = descriptor(state.path("stream").path("stream_descriptor"));
      stream = catalog.indexOf(descriptor);
      scope = stream >= 0 ? "stream:" + stream : "unknown:" + descriptor;
      label = "stream '" + descriptor + "'";
    } else if (GLOBAL.equals(type)) {
      scope = GLOBAL;
      label = "the GLOBAL states";
    } else {
      throw new InputException(where + ": a " + type + " state. The socket data channel carries STREAM and GLOBAL"
          + " states only.");
    }
    List<String> partitionIds = partitionIds(state);
    JsonNode count = state.path("sourceStats").path("recordCount");
    if (!count.isNumber()) {
      throw new InputException(where + ": a STATE of " + label + " without sourceStats.recordCount. In the socket"
          + " data channel a state is tied to its records by their partition_id and that count.");
    }
    long expected = count.asLong();
    if (expected > 0 && partitionIds.isEmpty()) {
      throw new InputException(where + ": a STATE of " + label + " counts " + expected + " records but names no"
          + " partition_id, so its records cannot be known.");
    }
    JsonNode idNode = state.path("id");
    synchronized (this) {
      Queue queue = queues.computeIfAbsent(scope, key -> new Queue());
      queue.label = label;
      long id = idNode.canConvertToLong() ? idNode.asLong() : queue.next + queue.waiting.size();
      if (id < queue.next || queue.waiting.containsKey(id)) {
        throw new InputException(where + ": a second STATE with id " + id + " of " + label + "; state ids are"
            + " unique and contiguous from 1.");
      }
      queue.waiting.put(id, new Pending(message, scope, stream, id, partitionIds, expected, heldBytes, where));
      hold(heldBytes);
    }
    emitReady();
  }

  private static List<String> partitionIds(JsonNode state) {
    Set<String> ids = new LinkedHashSet<>();
    addPartition(ids, state.get("partition_id"));
    for (JsonNode entry : state.path("global").path("stream_states")) {
      addPartition(ids, entry.get("partition_id"));
    }
    return List.copyOf(ids);
  }

  private static void addPartition(Set<String> ids, JsonNode partition) {
    if (partition != null && partition.isTextual() && !partition.asText().isEmpty()) {
      ids.add(partition.asText());
    }
  }

  private static StreamDescriptor descriptor(JsonNode descriptor) {
    JsonNode namespace = descriptor.get("namespace");
    return new StreamDescriptor(namespace == null || namespace.isNull() ? null : namespace.asText(),
        descriptor.path("name").asText());
  }

  /** Marks a batch's records as durably committed, run by run. */
  public void batchCommitted(List<PartitionRun> runs) {
    synchronized (this) {
      for (PartitionRun run : runs) {
        Partition partition = partitions.computeIfAbsent(run.partitionId(), key -> new Partition());
        partition.records += run.records();
        partition.runs.add(run);
      }
    }
    emitReady();
  }

  /** Whether no state that covers the stream waits (nothing of it is left unacknowledged). */
  public synchronized boolean settled(int stream) {
    Queue own = queues.get("stream:" + stream);
    Queue global = queues.get(GLOBAL);
    return (own == null || own.waiting.isEmpty()) && (global == null || global.waiting.isEmpty());
  }

  /**
   * What keeps states from being emitted once the input ended, one line per scope: the first state
   * that waits and why (its records did not all arrive, or an id before it never came). Empty when
   * every state was emitted.
   */
  public synchronized List<String> unsettled() {
    List<String> problems = new ArrayList<>();
    for (Queue queue : queues.values()) {
      if (queue.waiting.isEmpty()) {
        continue;
      }
      Pending first = queue.waiting.firstEntry().getValue();
      String waiting = queue.waiting.size() + " STATE message(s) of " + queue.label + " were not emitted: ";
      if (first.id != queue.next) {
        problems.add(waiting + "the state with id " + queue.next + " never arrived (the next one has id "
            + first.id + ").");
      } else {
        long arrivedRecords = 0;
        for (String partition : first.partitions) {
          arrivedRecords += arrived.getOrDefault(partition, 0L);
        }
        problems.add(waiting + "the one with id " + first.id + " (" + first.where + ", partition "
            + String.join(", ", first.partitions) + ") counts " + first.expected + " records, but " + arrivedRecords
            + " arrived and " + committedOf(first) + " were committed.");
      }
    }
    return problems;
  }

  private long committedOf(Pending entry) {
    long records = 0;
    for (String partition : entry.partitions) {
      Partition committed = partitions.get(partition);
      records += committed == null ? 0 : committed.records;
    }
    return records;
  }

  @Override
  protected boolean hasReady() {
    for (Queue queue : queues.values()) {
      Pending head = queue.waiting.get(queue.next);
      if (head != null && committedOf(head) >= head.expected) {
        return true;
      }
    }
    return false;
  }

  /** States taken for emission and the checkpoint to record before they are written. */
  record Ready(
      List<ObjectNode> messages, long bytes, Map<Integer, CheckpointStore.Coverage> coverage, Map<Integer, String> states) {}

  /**
   * Takes every state that is ready, each scope's in id order, counts its records as committed,
   * marks its rows covered, and sets its counts on the message; null when none is ready.
   */
  @Override
  protected Ready takeReady() {
    List<ObjectNode> messages = new ArrayList<>();
    long bytes = 0;
    Set<Integer> touched = new LinkedHashSet<>();
    Map<Integer, String> states = new LinkedHashMap<>();
    for (Queue queue : queues.values()) {
      Pending head;
      while ((head = queue.waiting.get(queue.next)) != null && committedOf(head) >= head.expected) {
        queue.waiting.remove(queue.next);
        queue.next++;
        long records = 0;
        for (String id : head.partitions) {
          Partition partition = partitions.remove(id);
          if (partition == null) {
            continue;
          }
          records += partition.records;
          for (PartitionRun run : partition.runs) {
            Block block = blocks[run.stream()].get(run.blockHigh());
            if (block != null) {
              block.cover(run.first(), run.last());
            }
            committedRecords[run.stream()] += run.records();
            committedBytes[run.stream()] += run.bytes();
            touched.add(run.stream());
          }
        }
        echoCounts(head, records);
        messages.add(head.message);
        if (head.stream >= 0) {
          states.put(head.stream, MessageCodec.encode(head.message));
        } else if (GLOBAL.equals(head.scope)) {
          String json = MessageCodec.encode(head.message);
          for (int i = 0; i < catalog.size(); i++) {
            states.put(i, json);
          }
        }
        bytes += head.heldBytes;
      }
    }
    if (messages.isEmpty()) {
      return null;
    }
    Map<Integer, CheckpointStore.Coverage> coverage = new LinkedHashMap<>();
    for (int stream : touched) {
      CheckpointStore.Coverage covered = coverage(stream);
      if (!covered.equals(recorded[stream])) {
        coverage.put(stream, covered);
      }
    }
    emitting = messages.size();
    return new Ready(messages, bytes, coverage, states);
  }

  /** Sets the echo's counts on a state about to be emitted. Caller holds this. */
  private void echoCounts(Pending entry, long records) {
    ObjectNode state = (ObjectNode) entry.message.path("state");
    JsonNode stats = state.get("destinationStats");
    ObjectNode target = stats instanceof ObjectNode existing ? existing : state.putObject("destinationStats");
    target.put("recordCount", (double) records);
    if (entry.stream >= 0) {
      state.put("committedRecordsCount", committedRecords[entry.stream]);
      state.put("committedBytesCount", committedBytes[entry.stream]);
      return;
    }
    if (!GLOBAL.equals(entry.scope)) {
      state.put("committedRecordsCount", 0L);
      state.put("committedBytesCount", 0L);
      return;
    }
    long totalRecords = 0;
    long totalBytes = 0;
    for (int i = 0; i < committedRecords.length; i++) {
      totalRecords += committedRecords[i];
      totalBytes += committedBytes[i];
    }
    state.put("committedRecordsCount", totalRecords);
    state.put("committedBytesCount", totalBytes);
    for (JsonNode streamState : state.path("global").path("stream_states")) {
      int stream = catalog.indexOf(descriptor(streamState.path("stream_descriptor")));
      if (stream >= 0 && streamState instanceof ObjectNode entryState) {
        entryState.put("committedRecordsCount", committedRecords[stream]);
        entryState.put("committedBytesCount", committedBytes[stream]);
      }
    }
  }

  /**
   * A stream's covered rows: the mark (every raw id of its blocks up to the first one not covered
   * yet) and the covered ranges above it. Blocks wholly below the mark are forgotten. Caller holds
   * this.
   */
  private CheckpointStore.Coverage coverage(int stream) {
    TreeMap<Long, Block> streamBlocks = blocks[stream];
    while (!streamBlocks.isEmpty() && streamBlocks.firstEntry().getValue().done()) {
      Block done = streamBlocks.pollFirstEntry().getValue();
      marks[stream] = RawId.max(marks[stream], done.id(done.prefixEnd - 1));
    }
    RawId mark = marks[stream];
    List<RawIdRange> kept = new ArrayList<>();
    boolean first = true;
    for (Block block : streamBlocks.values()) {
      if (first) {
        if (block.prefixEnd > 0) {
          mark = RawId.max(mark, block.id(block.prefixEnd - 1));
        }
        first = false;
      } else if (block.prefixEnd > 0) {
        kept.add(new RawIdRange(block.id(0), block.id(block.prefixEnd - 1)));
      }
      block.above.forEach((start, end) -> kept.add(new RawIdRange(block.id(start), block.id(end))));
    }
    return new CheckpointStore.Coverage(mark, List.copyOf(kept));
  }

  /** Records the checkpoint of the states taken, then writes them. Caller holds emitLock. */
  @Override
  protected void publish(Ready ready) throws Exception {
    if (!ready.coverage().isEmpty() || !ready.states().isEmpty()) {
      try {
        store.advanceCoverage(ready.coverage(), ready.states());
      } catch (Exception e) {
        throw checkpointFailure(ready.messages().size(), e);
      }
      synchronized (this) {
        ready.coverage().forEach((stream, covered) -> recorded[stream] = covered);
      }
    }
    write(ready.messages());
    emitted(ready.messages().size(), ready.bytes());
  }
}
