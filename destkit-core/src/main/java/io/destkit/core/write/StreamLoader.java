package io.destkit.core.write;

import java.util.List;

/**
 * Writes one stream to its table. The mode (append, append-truncate, dedupe, ...) lives here:
 * {@link #start()} prepares the table rows are written to, {@link #write} bulk-loads batches into
 * it, {@link #close} finalises according to the mode.
 */
public interface StreamLoader {
  /**
   * Removes the rows an interrupted attempt committed after its last emitted STATE: rows of this
   * stream whose raw id is a version 7 id greater than {@code mark} and in none of the {@code kept}
   * ranges, from every table its batches may have reached (rows written by other tools, whose raw
   * ids are not of version 7, are kept). The source sends those records again; the rows of a kept
   * range were covered by an emitted STATE although above the mark (several sockets), so it does
   * not. Runs before {@link #start()}, only after an unfinished attempt; a loader whose table
   * deduplicates may leave its final table alone.
   *
   * @param kept the ranges above the mark to keep, ascending (see {@link
   *     CheckpointStore.Checkpoint#keptAbove}); empty with one input
   * @return the number of rows removed
   */
  long discardAfter(RawId mark, List<RawIdRange> kept) throws Exception;

  /** Creates or evolves the table that batches are written to. Runs before any write. */
  void start() throws Exception;

  /**
   * Bulk-loads one batch. May be called from several threads at once. When it returns, the batch is
   * durably committed: the STATE messages that cover it may be emitted. The batch is valid only
   * during the call (its columns are freed when it returns): copy what must outlive it.
   */
  void write(RecordBatch batch) throws Exception;

  /**
   * Finalises the stream after its last write.
   *
   * @param streamCompleted true when the source sent {@code STREAM_STATUS COMPLETE} for the stream and
   *     every batch was written; a loader must not replace or delete existing data when false
   */
  void close(boolean streamCompleted) throws Exception;
}
