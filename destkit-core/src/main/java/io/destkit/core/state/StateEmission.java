package io.destkit.core.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The emission both state trackers share: whichever thread finds states ready emits them, one
 * thread at a time, while the others go on without waiting, so a slow reader of stdout holds up no
 * flush and no read; the tracker's lock ({@code this}) is never held while a checkpoint is recorded
 * or states are written. The first failure stops emission for good. A tracker says which states are
 * ready ({@link #takeReady}) and records their checkpoint ({@link #publish}); this class counts what
 * is held and emitted.
 *
 * @param <G> a group of states taken for emission together
 */
abstract class StateEmission<G> implements StateTracking {
  private final StateTracker.StateOutput output;
  private final ReentrantLock emitLock = new ReentrantLock();
  private volatile Exception failure;
  // Guarded by this.
  /** States taken for emission and not yet written. */
  protected int emitting;
  private long emitted;
  private long heldBytes;
  private LongConsumer release = bytes -> { };
  private Consumer<Exception> onFailure = e -> { };

  StateEmission(StateTracker.StateOutput output) {
    this.output = output;
  }

  /**
   * Takes the states that are ready, in the order they are to be written, and sets {@link
   * #emitting}; null when none is. Runs under {@code this}'s lock, with emitLock held.
   */
  protected abstract G takeReady();

  /** Whether a state is ready. Runs under {@code this}'s lock. */
  protected abstract boolean hasReady();

  /**
   * Records the checkpoint of the states taken, then writes them ({@link #write}) and counts them
   * ({@link #emitted}). Caller holds emitLock, not {@code this}'s lock.
   */
  protected abstract void publish(G ready) throws Exception;

  /** Counts a state received that holds {@code bytes} until it is emitted. Caller holds this. */
  protected final void hold(long bytes) {
    heldBytes += bytes;
  }

  @Override
  public synchronized long emittedCount() {
    return emitted;
  }

  @Override
  public synchronized long heldBytes() {
    return heldBytes;
  }

  @Override
  public synchronized void onRelease(LongConsumer release) {
    this.release = release;
  }

  @Override
  public synchronized void onFailure(Consumer<Exception> onFailure) {
    this.onFailure = onFailure;
  }

  @Override
  public final Exception failure() {
    return failure;
  }

  @Override
  public final void emitReadyNow() {
    emitLock.lock();
    try {
      emitTaken();
    } finally {
      emitLock.unlock();
    }
  }

  /**
   * Emits the states that are ready unless another thread is emitting: that thread looks again for
   * ready states after it lets go, so none is left behind.
   */
  protected final void emitReady() {
    do {
      if (!emitLock.tryLock()) {
        return;
      }
      try {
        emitTaken();
      } finally {
        emitLock.unlock();
      }
    } while (failure == null && readyNow());
  }

  private synchronized boolean readyNow() {
    return hasReady();
  }

  private synchronized G taken() {
    return takeReady();
  }

  /** Caller holds emitLock. */
  private void emitTaken() {
    G ready;
    while (failure == null && (ready = taken()) != null) {
      try {
        publish(ready);
      } catch (Exception e) {
        failure = e;
        Consumer<Exception> callback;
        synchronized (this) {
          emitting = 0;
          callback = onFailure;
        }
        callback.accept(e);
      }
    }
  }

  /**
   * Writes states to stdout, all in one call.
   *
   * @throws StateTracker.OutputFailure when stdout cannot be written
   */
  protected final void write(List<ObjectNode> states) {
    try {
      output.write(states);
    } catch (RuntimeException e) {
      throw new StateTracker.OutputFailure(
          "Cannot write a STATE message to stdout (" + e.getMessage() + "): the reader of the destination's output"
              + " has gone. The records committed after the last STATE written are removed by the next attempt,"
              + " whose source sends them again.", e);
    }
  }

  /** Counts {@code count} states written, which held {@code bytes}, and releases those bytes. */
  protected final void emitted(int count, long bytes) {
    LongConsumer releaseTo;
    synchronized (this) {
      emitted += count;
      emitting -= count;
      heldBytes -= bytes;
      releaseTo = release;
    }
    releaseTo.accept(bytes);
  }

  /** The failure of recording the checkpoint of {@code count} states, which were not written. */
  protected static StateTracker.CheckpointFailure checkpointFailure(int count, Exception e) {
    return new StateTracker.CheckpointFailure("Recording the position of " + count + " STATE message(s) in the"
        + " destination failed, so they were not emitted: " + e.getMessage(), e);
  }
}
