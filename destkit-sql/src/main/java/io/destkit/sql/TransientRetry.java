package io.destkit.sql;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import io.destkit.core.operation.ErrorClassifier;
import io.destkit.core.write.RetrySettings;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work (a batch's load, a stream's start, its finalisation), retrying it with
 * exponential backoff and jitter while it fails with an error the destination's classifier calls
 * transient, or with a {@link FlushTimeoutException}. Any other failure is thrown at once,
 * unchanged. Each attempt must be safe to re-run after the one before it failed, even one whose
 * commit went through but whose acknowledgement was lost: the work is told which attempt it is.
 * Each retry is logged (at WARN, on stderr).
 */
public final class TransientRetry {
  /** Retries nothing: every failure fails at once. */
  public static final TransientRetry NONE = new TransientRetry(ErrorClassifier.NONE, RetrySettings.none());

  private static final Logger LOG = LoggerFactory.getLogger(TransientRetry.class);
  private static final double JITTER = 0.25;

  private final ErrorClassifier classifier;
  private final RetrySettings settings;

  public TransientRetry(ErrorClassifier classifier, RetrySettings settings) {
    this.classifier = classifier;
    this.settings = settings;
  }

  public RetrySettings settings() {
    return settings;
  }

  /** Whether this failure is retried: a flush timeout, or an error the destination calls transient. */
  public boolean isTransient(Throwable failure) {
    return failure instanceof FlushTimeoutException || classifier.isTransient(failure);
  }

  /** One attempt of the work. */
  @FunctionalInterface
  public interface Attempt<T> {
    /**
     * @param attempt 1 for the first attempt, 2 for the first retry, ...: from 2 on, an earlier
     *     attempt may have committed before its failure was reported
     */
    T run(int attempt) throws SQLException;
  }

  /**
   * Runs the work until an attempt succeeds, a failure is not transient, or the attempts are used
   * up; then throws the last failure (after the last attempt, saying how many there were).
   *
   * @param what what the work is, for the log and the final error ("Loading 10 records of stream 'users'")
   */
  public <T> T run(String what, Attempt<T> work) throws SQLException {
    if (settings.attempts() == 1) {
      return work.run(1);
    }
    RetryPolicy<T> policy = this.<T>policy(what).build();
    try {
      return Failsafe.with(policy).get(context -> work.run(context.getAttemptCount() + 1));
    } catch (FailsafeException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new SQLException(what + " was interrupted while waiting to retry", cause);
      }
      if (cause instanceof SQLException sql) {
        throw isTransient(sql) ? gaveUp(sql) : sql;
      }
      throw e;
    }
  }

  /** The last failure of work whose every attempt failed transiently, saying so. */
  private SQLException gaveUp(SQLException last) {
    return new SQLException(
        last.getMessage() + " (gave up after " + settings.attempts() + " attempts)", last.getSQLState(),
        last.getErrorCode(), last);
  }

  private <T> RetryPolicyBuilder<T> policy(String what) {
    int attempts = settings.attempts();
    RetryPolicyBuilder<T> builder = RetryPolicy.<T>builder()
        .handleIf(this::isTransient)
        .withMaxAttempts(attempts)
        .withJitter(JITTER)
        .onRetryScheduled(event -> LOG.warn(
            "{} failed with a transient error (attempt {} of {}): {}. Retrying in {} ms on a fresh connection.",
            what, event.getAttemptCount(), attempts, reason(event.getLastException()), event.getDelay().toMillis()))
        .onRetriesExceeded(event -> {
          if (isTransient(event.getException())) {
            LOG.warn("{} failed {} times with transient errors; giving up: {}", what, attempts,
                reason(event.getException()));
          }
        });
    if (settings.maxDelay().compareTo(settings.firstDelay()) > 0) {
      builder.withBackoff(settings.firstDelay(), settings.maxDelay());
    } else {
      builder.withDelay(settings.firstDelay());
    }
    return builder;
  }

  /** The failure's first line, and the first SQL state in it with that error's first line: no data. */
  static String reason(Throwable failure) {
    String reason = firstLine(failure);
    for (SQLException sql : SqlFailures.of(failure)) {
      if (sql.getSQLState() != null) {
        String line = firstLine(sql);
        return (reason.contains(line) ? reason : reason + ": " + line) + " (SQL state " + sql.getSQLState() + ")";
      }
    }
    return reason;
  }

  private static String firstLine(Throwable failure) {
    String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
