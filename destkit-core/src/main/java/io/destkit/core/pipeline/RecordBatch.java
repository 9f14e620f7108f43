package io.destkit.core.pipeline;

import java.util.List;

/**
 * Consecutive records of one stream handed to a loader in one bulk write.
 *
 * @param firstSequence the per-stream sequence number (1-based) of the first row
 * @param bytes the input bytes the rows came from (the size the buffer accounted for)
 */
public record RecordBatch(int streamIndex, long firstSequence, List<Row> rows, long bytes) {
  public long lastSequence() {
    return firstSequence + rows.size() - 1;
  }

  public int size() {
    return rows.size();
  }
}
