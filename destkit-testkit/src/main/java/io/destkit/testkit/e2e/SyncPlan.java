package io.destkit.testkit.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the source of one sync sends, all of it derived from a seed: the streams' record counts,
 * how often each sends a STATE, the records' values, and (in {@link ResumableSource}) the order in
 * which the streams' records are interleaved. Every attempt of the sync sends the same records.
 *
 * <p>Each record has {@code id}, {@code sync} (the sync's number), {@code seq} (its position in
 * its stream, from 0), {@code updated_at} (the cursor: later for a later record, and for any record
 * of a later sync) and {@code note}. In append streams {@code id} is unique; in deduped streams it
 * is the primary key, drawn with repeats from a key range that half overlaps the previous sync's.
 *
 * @param sync the sync's number, also its {@code sync_id}: 1 fills the tables, 2 is the one killed
 * @param globalStateEvery in GLOBAL mode, a state after every this many records of all streams
 * @param finalGlobalState in GLOBAL mode, whether a state follows the last record
 */
public record SyncPlan(
    int sync, long seed, StateMode mode, List<StreamPlan> streams, long globalStateEvery, boolean finalGlobalState) {

  /** The kind of STATE messages the source sends. */
  public enum StateMode {
    /** One state per stream, for the records of that stream (not for streams that emit none). */
    STREAM,
    /** One state for all streams, with every stream's position, as a CDC source sends. */
    GLOBAL
  }

  /**
   * One stream's part of the sync.
   *
   * @param stateEvery a STATE after every this many records of the stream (STREAM mode)
   * @param finalState whether a STATE also follows the stream's last record (STREAM mode)
   * @param keySpace in deduped streams, how many keys the records' ids are drawn from
   * @param keyOffset in deduped streams, the first key
   */
  public record StreamPlan(
      CrashStream stream, int index, long records, long stateEvery, boolean finalState, long keySpace, long keyOffset) {
    public String name() {
      return stream.name();
    }
  }

  /** Timestamps of records start here; each sync is 10^8 seconds after the previous. */
  private static final long FIRST_CURSOR_SECOND = 1_600_000_000L;

  private static final String[] NOTES = {"plain", "naïve café", "a, b", "say \"hi\"", "東京", "x'y", ""};

  /**
   * A sync of {@code recordsPerStream} records per stream on average, {@code recordsPerStream} times
   * the number of streams in all (each stream between about 0.6 and 1.4 times the average, at least
   * 10), from the seed.
   */
  public static SyncPlan generate(int sync, long seed, StateMode mode, long recordsPerStream, List<CrashStream> streams) {
    SplittableRandom random = new SplittableRandom(mix(seed, sync, -1, -1));
    double[] weights = new double[streams.size()];
    double weightSum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = 0.6 + 0.8 * random.nextDouble();
      weightSum += weights[i];
    }
    long total = recordsPerStream * streams.size();
    List<StreamPlan> plans = new ArrayList<>();
    long assigned = 0;
    for (int i = 0; i < streams.size(); i++) {
      long records = i == streams.size() - 1 ? total - assigned : Math.round(total * weights[i] / weightSum);
      records = Math.max(10, records);
      assigned += records;
      long stateEvery = Math.max(1, Math.round(records * (0.03 + 0.07 * random.nextDouble())));
      long keySpace = Math.max(1, records * 2 / 5);
      plans.add(new StreamPlan(
          streams.get(i), i, records, stateEvery, random.nextBoolean(), keySpace, (sync - 1) * (keySpace / 2)));
    }
    long globalEvery = Math.max(1, Math.round(assigned * (0.015 + 0.03 * random.nextDouble())));
    return new SyncPlan(sync, seed, mode, List.copyOf(plans), globalEvery, random.nextBoolean());
  }

  public long totalRecords() {
    return streams.stream().mapToLong(StreamPlan::records).sum();
  }

  public StreamPlan stream(String name) {
    return streams.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stream " + name + " in sync " + sync));
  }

  // ---------------------------------------------------------------------------------------------
  // Record values

  /** The record's {@code id}: unique in append streams, the primary key in deduped streams. */
  public long id(StreamPlan stream, long seq) {
    if (stream.stream().kind().dedupes()) {
      return stream.keyOffset() + Math.floorMod(mix(seed, sync, stream.index(), seq), stream.keySpace());
    }
    return sync * 1_000_000_000_000L + seq;
  }

  /** The record's cursor, increasing with {@code seq} and with the sync. */
  public String updatedAt(long seq) {
    return Instant.ofEpochSecond(FIRST_CURSOR_SECOND + sync * 100_000_000L + seq).toString();
  }

  public String note(StreamPlan stream, long seq) {
    return NOTES[(int) Math.floorMod(mix(seed, sync, stream.index() + 100, seq), NOTES.length)] + " #" + seq;
  }

  /** The record as its stream's table holds it: sync, generation and position packed in one long. */
  public long identity(StreamPlan stream, long seq) {
    return identity(sync, stream.stream().generation(sync), seq);
  }

  /** Packs (sync, generation, seq) into one long; each sync and generation below 256, seq below 2^40. */
  public static long identity(long sync, long generation, long seq) {
    if (sync < 0 || sync > 255 || generation < 0 || generation > 255 || seq < 0 || seq >= 1L << 40) {
      throw new IllegalArgumentException("out of range: sync " + sync + ", generation " + generation + ", seq " + seq);
    }
    return sync << 48 | generation << 40 | seq;
  }

  /** {@link #identity} as text: {@code sync 2 gen 2 seq 17}. */
  public static String describeIdentity(long identity) {
    return "sync " + (identity >>> 48) + " gen " + (identity >>> 40 & 0xff) + " seq " + (identity & ((1L << 40) - 1));
  }

  // ---------------------------------------------------------------------------------------------
  // The configured catalog

  /** The configured catalog of the sync: every attempt gets the same one. */
  public ObjectNode configuredCatalog() {
    ObjectNode catalog = ConnectorProcess.JSON.createObjectNode();
    ArrayNode entries = catalog.putArray("streams");
    for (StreamPlan plan : streams) {
      CrashStream stream = plan.stream();
      ObjectNode entry = entries.addObject();
      ObjectNode descriptor = entry.putObject("stream");
      descriptor.put("name", stream.name());
      ObjectNode properties = descriptor.putObject("json_schema").put("type", "object").putObject("properties");
      properties.putObject("id").put("type", "integer");
      properties.putObject("sync").put("type", "integer");
      properties.putObject("seq").put("type", "integer");
      properties.putObject("updated_at")
          .put("type", "string")
          .put("format", "date-time")
          .put("airbyte_type", "timestamp_with_timezone");
      properties.putObject("note").putArray("type").add("null").add("string");
      descriptor.putArray("supported_sync_modes").add("full_refresh").add("incremental");
      entry.put("sync_mode", stream.syncMode());
      entry.put("destination_sync_mode", stream.destinationSyncMode());
      if (stream.kind().dedupes()) {
        entry.putArray("primary_key").addArray().add("id");
        entry.putArray("cursor_field").add("updated_at");
      }
      entry.put("generation_id", stream.generation(sync));
      entry.put("minimum_generation_id", stream.minimumGeneration(sync));
      entry.put("sync_id", sync);
    }
    return catalog;
  }

  /** SplitMix64 over the four values: a well-spread long for each combination. */
  static long mix(long seed, long a, long b, long c) {
    return step(step(step(seed, a), b), c);
  }

  private static long step(long z, long v) {
    z += 0x9E3779B97F4A7C15L + v;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
