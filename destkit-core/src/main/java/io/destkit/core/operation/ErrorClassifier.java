package io.destkit.core.operation;

import io.destkit.core.ConfigErrorException;
import java.util.Optional;

/**
 * Tells the failures a user fixes (a wrong password, a missing privilege) from the others. A
 * destination supplies one; the runner applies it to every failure of a check and of a write,
 * wherever it happened (connecting, creating or evolving a table, a bulk load, a finalisation).
 */
@FunctionalInterface
public interface ErrorClassifier {
  /** Recognises no failure: only {@link ConfigErrorException}s thrown by the code are config errors. */
  ErrorClassifier NONE = failure -> Optional.empty();

  /**
   * The config error {@code failure} (or one of its causes) means, with what to fix, or empty when
   * the user cannot fix it. The message must not hold a secret; it should name the database's own
   * error code (for SQL, the SQL state).
   */
  Optional<ConfigErrorException> configError(Throwable failure);

  /**
   * Whether {@code failure} is transient: the same work, retried on a fresh connection a little
   * later, may succeed (a lost or closed connection, a server restarting, a serialization failure
   * or deadlock, too many connections). A failure the user must fix never is. The default knows
   * none: nothing is retried.
   */
  default boolean isTransient(Throwable failure) {
    return false;
  }
}
