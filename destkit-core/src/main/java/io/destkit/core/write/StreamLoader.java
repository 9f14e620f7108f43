package io.destkit.core.write;

import io.destkit.core.pipeline.RecordBatch;

/**
 * Writes one stream to its table. The mode (append, append-truncate, dedupe, ...) lives here:
 * {@link #start()} prepares the table rows are written to, {@link #write} bulk-loads batches into
 * it, {@link #close} finalises according to the mode.
 */
public interface StreamLoader {
  /** Creates or evolves the table that batches are written to. Runs before any write. */
  void start() throws Exception;

  /**
   * Bulk-loads one batch. May be called from several threads at once. When it returns, the batch is
   * durably committed: the STATE messages that cover it may be emitted.
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
