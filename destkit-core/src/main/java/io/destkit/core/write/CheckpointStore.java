package io.destkit.core.write;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a destination durably records, per stream, how far its rows are covered by STATE messages
 * it emitted: the kit's exactly-once bookkeeping. It lives in the destination itself (a small table
 * of the database), never in local files, since a container's disk is gone after an attempt.
 *
 * <p>An attempt of a sync calls, from one thread at a time: {@link #load()} and {@link #begin} once,
 * before any batch is written; {@link #advance} before each STATE is written to stdout; {@link
 * #finish} once when every stream completed. Rows of a stream whose raw id is above its recorded
 * mark were committed after the last STATE that was emitted, so the next attempt (whose source
 * sends them again) removes them first: see {@link StreamLoader#discardAfter}.
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
   * emitted STATE covers) before those STATEs are written. Cheap: one small transaction.
   */
  void advance(Map<Integer, RawId> marks) throws Exception;

  /**
   * Durably records, for some streams, the mark and the ranges above it whose rows are covered by
   * emitted STATEs too (the socket data channel, where records of several sockets interleave).
   */
  default void advanceCoverage(Map<Integer, Coverage> coverage) throws Exception {
    Map<Integer, RawId> marks = new java.util.LinkedHashMap<>();
    coverage.forEach((stream, covered) -> marks.put(stream, covered.mark()));
    advance(marks);
  }

  /** A stream's covered rows: every raw id up to {@code mark}, and the ranges above it. */
  record Coverage(RawId mark, List<RawIdRange> keptAbove) {}

  /** Ends the attempt: every stream completed, each mark becomes {@code end} (its last raw id or above). */
  void finish(RawId end) throws Exception;

  /**
   * What an attempt left for one stream.
   *
   * @param mark rows with a raw id up to this one are covered by emitted STATEs (or by a finished
   *     attempt); rows above it that an unfinished attempt wrote are sent again by the source
   * @param finished whether that attempt ended with every stream complete
   */
  record Checkpoint(RawId mark, boolean finished) {}
}
