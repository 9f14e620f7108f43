package io.destkit.sql;

import java.sql.SQLException;

/**
 * A batch's load that made no progress within the flush timeout and was cancelled. Always retried
 * (the database may have been briefly unreachable, or a lock held); once the attempts are used up it
 * fails the sync.
 */
public final class FlushTimeoutException extends SQLException {
  public FlushTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
