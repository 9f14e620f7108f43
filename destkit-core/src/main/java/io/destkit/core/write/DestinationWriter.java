package io.destkit.core.write;

import io.destkit.core.catalog.StreamTables;

/**
 * A destination's writer for one sync. Called from one thread, in this order: {@link #setup()},
 * {@link #createStreamLoader} for each stream, {@link #checkpoints()}, then {@link #teardown()} exactly once.
 */
public interface DestinationWriter extends AutoCloseable {
  /** Creates namespaces and gathers each table's initial status. */
  void setup() throws Exception;

  /** Creates the loader of one stream; it is started by the caller. */
  StreamLoader createStreamLoader(StreamTables tables) throws Exception;

  /**
   * The store of this destination's exactly-once bookkeeping (see {@link CheckpointStore}), usable
   * after {@link #setup()}.
   */
  CheckpointStore checkpoints();

  /** Releases every resource (connections, files). Called even after a failure. */
  void teardown() throws Exception;

  @Override
  default void close() throws Exception {
    teardown();
  }
}
