package io.destkit.core.pipeline;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Turns at parsing for the socket readers: with more sockets than cores, readers that all parse at
 * once spend CPU on switching between them (four readers on two cores took 1.7 times the CPU of one
 * for the same bytes). A reader takes a turn before it parses and gives it up every {@value
 * #MESSAGES_PER_TURN} messages and before a read that may wait for the source. A turn is only ever
 * waited for briefly ({@value #WAIT_MILLIS} ms): a reader that gets none parses anyway, so a reader
 * that holds a turn while it waits for its socket never stops the others (nor a source that writes
 * its sockets in turn).
 */
final class ParseTurns {
  static final int MESSAGES_PER_TURN = 512;
  static final long WAIT_MILLIS = 20;

  private final Semaphore turns;

  ParseTurns(int cores) {
    this.turns = new Semaphore(Math.max(1, cores), true);
  }

  Turn turn() {
    return new Turn();
  }

  /** One reader's use of the turns; used by its own thread only. */
  final class Turn {
    private boolean held;
    private int messages;

    /**
     * Before a message is parsed: every {@value #MESSAGES_PER_TURN} messages, gives up the turn
     * held and takes one again, waiting a little for it; a reader that got none parses that many
     * messages without one.
     */
    void take() throws InterruptedException {
      if (messages > 0 && messages < MESSAGES_PER_TURN) {
        messages++;
        return;
      }
      yieldTurn();
      held = turns.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      messages = 1;
    }

    /** Whether this reader holds a turn now. */
    boolean held() {
      return held;
    }

    /** Gives the turn up, if held (before a read that may wait, and at the end). */
    void yieldTurn() {
      messages = 0;
      if (held) {
        held = false;
        turns.release();
      }
    }
  }
}
