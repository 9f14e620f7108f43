package io.destkit.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Turns at parsing: never more at once than cores, and never a reader stopped for good. */
@Timeout(30)
class ParseTurnsTest {
  @Test
  void noMoreReadersHoldATurnAtOnceThanThereAreCores() throws Exception {
    ParseTurns turns = new ParseTurns(2);
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Thread[] readers = new Thread[4];
    for (int r = 0; r < readers.length; r++) {
      readers[r] = new Thread(() -> {
        ParseTurns.Turn turn = turns.turn();
        try {
          for (int i = 0; i < 20 * ParseTurns.MESSAGES_PER_TURN; i++) {
            turn.take();
            if (i % ParseTurns.MESSAGES_PER_TURN == 0) {
              if (heldBy(turn)) {
                int now = holding.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                Thread.onSpinWait();
                holding.decrementAndGet();
              }
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          turn.yieldTurn();
        }
      });
      readers[r].start();
    }
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(most.get()).isBetween(1, 2);
  }

  @Test
  void aReaderThatHoldsItsTurnWhileItWaitsStopsNoOtherForLong() throws Exception {
    ParseTurns turns = new ParseTurns(1);
    ParseTurns.Turn waiting = turns.turn();
    waiting.take();
    assertThat(heldBy(waiting)).isTrue();
    CountDownLatch parsed = new CountDownLatch(1);
    Thread other = new Thread(() -> {
      ParseTurns.Turn turn = turns.turn();
      try {
        for (int i = 0; i < 3 * ParseTurns.MESSAGES_PER_TURN; i++) {
          turn.take();
        }
        parsed.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    other.start();
    // The only turn stays taken, yet the other reader parses: it waits a little, then goes on.
    assertThat(parsed.await(5, TimeUnit.SECONDS)).isTrue();
    waiting.yieldTurn();
    ParseTurns.Turn next = turns.turn();
    next.take();
    assertThat(heldBy(next)).as("a turn given up is free again").isTrue();
    other.join();
  }

  private static boolean heldBy(ParseTurns.Turn turn) {
    return turn.held();
  }
}
