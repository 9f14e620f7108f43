package io.destkit.core.state;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What the write pipeline asks of a state tracker, whichever data channel the states came by:
 * {@link StateTracker} (standard input) or {@link SocketStateTracker} (the socket data channel).
 */
public interface StateTracking {
  /** Emits every state that is ready, waiting for an emission in progress (the end of a sync). */
  void emitReadyNow();

  /** States emitted so far. */
  long emittedCount();

  /** The memory held by states received but not yet emitted. */
  long heldBytes();

  /** Receives the held bytes of each state once it is emitted (the write pipeline's memory budget). */
  void onRelease(LongConsumer release);

  /**
   * Receives the failure that stopped emission: a checkpoint that could not be recorded, or a
   * stdout that cannot be written. No state is emitted after it.
   */
  void onFailure(Consumer<Exception> onFailure);

  /** The failure that stopped emission, or null. */
  Exception failure();
}
