package io.destkit.iceberg;

import io.destkit.core.write.RecordBatch;

/** How a loader commits one batch to a branch of its table; returns once the commit is made. */
interface BatchCommit {
  void commit(RecordBatch batch, String branch) throws Exception;
}
