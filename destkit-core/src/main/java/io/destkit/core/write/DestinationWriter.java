package io.destkit.core.write;

import io.destkit.core.catalog.StreamTables;

/**
 * A destination's writer for one sync. The runner calls it from one thread, in this order:
 *
 * <ol>
 *   <li>{@link #setup()};
 *   <li>{@link #createStreamLoader} for each stream of the catalog, in catalog order;
 *   <li>{@link #checkpoints()}, then on the store: {@link CheckpointStore#load()}, the clean-up of
 *       an unfinished attempt's rows ({@link StreamLoader#discardAfter} on the loaders of the
 *       streams it wrote), and {@link CheckpointStore#begin} with this attempt's raw id floor;
 *   <li>{@link StreamLoader#start()} on every loader;
 *   <li>the batches ({@link StreamLoader#write}, on the pipeline's flush threads, several at once
 *       for different streams) and {@link CheckpointStore#advanceCoverage} before each emitted
 *       STATE;
 *   <li>{@link StreamLoader#close} on every loader at the end of the input (complete or not), then
 *       {@link CheckpointStore#finish} when every stream completed;
 *   <li>{@link #teardown()} exactly once, after a failure too.
 * </ol>
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
