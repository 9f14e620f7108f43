package io.destkit.core.write;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a destination durably records, per stream, how far its rows are covered by STATE messages
 * it emitted: the kit's exactly-once bookkeeping. It lives in the destination itself (a small table
 * of the database), never in local files, since a container's disk is gone after an attempt.
 *
 * <p>An attempt of a sync calls, from one thread at a time: {@link #load()} and {@link #begin} once,
 * before any batch is written; {@link #advanceCoverage} (or {@link #advance(Map)}) before each STATE
 * is written to stdout; {@link #finish} once when every stream completed. {@link #begin} starts a
 * stream whose generation changed with no recorded state. Rows of a stream whose raw id is above its recorded
 * mark, outside the ranges it keeps above the mark, were committed after the last STATE that was
 * emitted, so the next attempt (whose source sends them again) removes them first: see {@link
 * StreamLoader#discardAfter}.
 *
 * <p>With one input (STDIO), raw ids increase in the order records and STATEs arrive, so the mark
 * alone separates covered rows from the others and the kept ranges are empty. With several sockets,
 * each run of one partition on one socket takes a block of raw ids of its own ({@link
 * RawIdRange#block}); the blocks of partitions read at once interleave, so a STATE can cover a block
 * above blocks it does not cover: that block is recorded as a range kept above the mark.
 *
 * <p>An implementation overrides {@link #advanceCoverage}; {@link #advance(Map)} is the form for
 * marks alone, which records empty kept ranges. (The two default to each other so that a store
 * written before kept ranges existed, which overrides {@code advance} only, still compiles: an
 * implementation must override at least one of them.)
 */
public interface CheckpointStore {
  /**
   * What the previous attempt recorded for each stream of this sync's catalog, in catalog order;
   * empty for a stream the store knows nothing about (never written with this bookkeeping).
   */
  List<Optional<Checkpoint>> load() throws Exception;

  /**
   * Starts this attempt: every stream's mark becomes {@code floor} (a raw id above every row kept and
   * below every row this attempt writes), unfinished. Durable when it returns.
   */
  void begin(RawId floor) throws Exception;

  /**
   * Durably moves the marks of some streams (catalog index to the raw id of the last record an
   * emitted STATE covers) before those STATEs are written, with no range kept above them (one
   * input, where raw ids follow the order of STATEs). The same as {@link #advanceCoverage} with
   * empty kept ranges.
   */
  default void advance(Map<Integer, RawId> marks) throws Exception {
    Map<Integer, Coverage> coverage = new LinkedHashMap<>();
    marks.forEach((stream, mark) -> coverage.put(stream, new Coverage(mark, List.of())));
    advanceCoverage(coverage);
  }

  /**
   * Durably records what the STATEs about to be written cover, for some streams (catalog index to
   * coverage): each stream's new mark and the ranges above it that are covered too, replacing what
   * was recorded for the stream. Runs before those STATEs are written. Cheap: one small transaction.
   *
   * <p>Every store of the kit overrides this. The default serves a store written before kept ranges
   * existed, which overrides {@link #advance(Map)} only: it records the marks when no range is kept,
   * and fails naming the stream otherwise (recording the mark alone would let the next attempt
   * remove covered rows, which the source does not send again).
   */
  default void advanceCoverage(Map<Integer, Coverage> coverage) throws Exception {
    Map<Integer, RawId> marks = new LinkedHashMap<>();
    for (Map.Entry<Integer, Coverage> entry : coverage.entrySet()) {
      if (!entry.getValue().keptAbove().isEmpty()) {
        throw new IllegalStateException("The checkpoint store " + getClass().getName() + " records marks only,"
            + " not the " + entry.getValue().keptAbove().size() + " range(s) of raw ids kept above the mark of"
            + " stream " + entry.getKey() + ": it cannot record the checkpoint of several sockets' partitions");
      }
      marks.put(entry.getKey(), entry.getValue().mark());
    }
    advance(marks);
  }

  /**
   * {@link #advanceCoverage(Map)}, and in the same transaction the STATE messages about to be written
   * (catalog index to the JSON of the last of them that covers the stream: its STREAM state, or the
   * GLOBAL or LEGACY state that covers every stream), so that what the store says a stream's rows
   * are covered by and the state a source resumes from never disagree, even across a crash. A
   * stream may have a state and no new coverage (a state that covers no new record).
   *
   * <p>The default records the coverage only: such a store cannot give {@link #loadProgress()}.
   */
  default void advanceCoverage(Map<Integer, Coverage> coverage, Map<Integer, String> states) throws Exception {
    if (!coverage.isEmpty()) {
      advanceCoverage(coverage);
    }
  }

  /**
   * What the previous attempt left for each stream of this sync's catalog, in catalog order, for a
   * program that plays the platform's part ({@code destkit sync}): the ids it ran with, whether it
   * finished, and the last STATE message recorded for the stream by {@link #advanceCoverage(Map,
   * Map)} in that generation. Empty for a stream the store knows nothing about.
   *
   * @throws UnsupportedOperationException when the store does not record states
   */
  default List<Optional<StreamProgress>> loadProgress() throws Exception {
    throw new UnsupportedOperationException("The checkpoint store " + getClass().getName()
        + " does not record the STATE messages it covers");
  }

  /**
   * What an attempt left for one stream, as {@link #loadProgress()} reads it.
   *
   * @param syncId the sync id the attempt ran with
   * @param generationId its generation id
   * @param minimumGenerationId its minimum generation id (0 when a version that did not record it wrote the row)
   * @param finished whether that attempt ended with every stream complete
   * @param state the JSON of the last STATE message emitted for the stream in this generation; null
   *     when none was (a new generation starts without one)
   */
  record StreamProgress(long syncId, long generationId, long minimumGenerationId, boolean finished, String state) {}

  /** Ends the attempt: every stream completed, each mark becomes {@code end} (its last raw id or above). */
  void finish(RawId end) throws Exception;

  /**
   * What the emitted STATEs of one stream cover.
   *
   * @param mark every row with a raw id up to this one is covered
   * @param keptAbove the ranges of raw ids above the mark whose rows are covered too (empty with one
   *     input); held in ascending order, overlapping ones joined
   */
  record Coverage(RawId mark, List<RawIdRange> keptAbove) {
    public Coverage {
      if (mark == null) {
        throw new IllegalArgumentException("A coverage needs its mark");
      }
      keptAbove = RawIdRange.above(mark, keptAbove);
    }
  }

  /**
   * What an attempt left for one stream.
   *
   * @param mark rows with a raw id up to this one are covered by emitted STATEs (or by a finished
   *     attempt); rows above it that an unfinished attempt wrote are sent again by the source, but
   *     for those in {@code keptAbove}
   * @param finished whether that attempt ended with every stream complete
   * @param keptAbove the ranges of raw ids above the mark whose rows emitted STATEs cover (empty for
   *     a checkpoint recorded with marks alone, or by a version that had no ranges); ascending
   */
  record Checkpoint(RawId mark, boolean finished, List<RawIdRange> keptAbove) {
    public Checkpoint {
      if (mark == null) {
        throw new IllegalArgumentException("A checkpoint needs its mark");
      }
      keptAbove = RawIdRange.above(mark, keptAbove);
    }

    /** A checkpoint with no range kept above its mark. */
    public Checkpoint(RawId mark, boolean finished) {
      this(mark, finished, List.of());
    }

    /** The highest raw id a row this checkpoint keeps may have: its mark, or the last of its kept ranges. */
    public RawId highestCovered() {
      return keptAbove.isEmpty() ? mark : RawId.max(mark, keptAbove.get(keptAbove.size() - 1).last());
    }
  }
}
