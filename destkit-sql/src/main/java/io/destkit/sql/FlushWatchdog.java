package io.destkit.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches bulk loads from a thread of its own: one that makes no progress (no row handed to the
 * database, no step ended) for the timeout is cancelled through its connection ({@link
 * ConnectionSource#cancel}), which makes the loading thread fail, so no load waits forever on a
 * lock, a hung server or a dead network.
 */
final class FlushWatchdog {
  private static final Logger LOG = LoggerFactory.getLogger(FlushWatchdog.class);
  /** One daemon thread checks every watched load; cancelling runs on a thread of its own. */
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "destkit-flush-watchdog");
    thread.setDaemon(true);
    return thread;
  });

  private final ConnectionSource connections;
  private final Duration timeout;

  FlushWatchdog(ConnectionSource connections, Duration timeout) {
    this.connections = connections;
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  /** Starts watching a load on {@code connection}; close the watch when the load ends. */
  Watch watch(Connection connection) {
    return new Watch(connection);
  }

  /** One watched load. Its progress is noted by the loading thread; the check runs on the timer. */
  final class Watch implements AutoCloseable {
    private final Connection connection;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();

    private Watch(Connection connection) {
      this.connection = connection;
      long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
      this.check = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** The load moved on: the timeout starts again. */
    void progress() {
      lastProgress = System.nanoTime();
    }

    /** Whether the load was cancelled for want of progress. */
    boolean timedOut() {
      return cancelled.get();
    }

    private void check() {
      if (System.nanoTime() - lastProgress < timeout.toNanos() || !cancelled.compareAndSet(false, true)) {
        return;
      }
      check.cancel(false);
      Thread canceller = new Thread(this::cancel, "destkit-flush-cancel");
      canceller.setDaemon(true);
      canceller.start();
    }

    private void cancel() {
      try {
        connections.cancel(connection);
      } catch (SQLException | RuntimeException e) {
        LOG.warn("A bulk load made no progress for {} s, and cancelling it failed: {}", timeout.toSeconds(),
            TransientRetry.reason(e));
      }
    }

    @Override
    public void close() {
      check.cancel(false);
    }
  }
}
