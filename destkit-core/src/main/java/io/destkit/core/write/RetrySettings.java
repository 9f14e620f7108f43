package io.destkit.core.write;

import java.time.Duration;

/**
 * How work that failed with a transient error (a lost connection, a server restart, a deadlock) is
 * retried: a batch's bulk load, a stream's start and its finalisation.
 *
 * @param attempts the most attempts, the first included (1: no retry)
 * @param firstDelay the wait before the first retry; each later wait doubles, up to {@code maxDelay},
 *     with a random jitter of a quarter either way
 * @param maxDelay the longest wait between two attempts
 */
public record RetrySettings(int attempts, Duration firstDelay, Duration maxDelay) {
  public RetrySettings {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
    }
    if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException(
          "the delays must be positive and the first at most the longest: " + firstDelay + ", " + maxDelay);
    }
  }

  /** Five attempts, waiting 1 s, 2 s, 4 s and 8 s between them (at most 30 s). */
  public static RetrySettings defaults() {
    return new RetrySettings(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /** One attempt: a failure fails at once. */
  public static RetrySettings none() {
    return new RetrySettings(1, Duration.ofSeconds(1), Duration.ofSeconds(1));
  }
}
