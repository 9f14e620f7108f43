package io.destkit.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;

/** Opens connections to the destination database; each caller closes what it opened. */
@FunctionalInterface
public interface ConnectionSource {
  Connection open() throws SQLException;

  /**
   * Stops whatever runs on {@code connection}, from another thread (a load that made no progress
   * in time): the thread using it then fails, and the connection is not used again. The default
   * aborts the connection ({@link Connection#abort}), which closes it on the client side; a database
   * that can cancel on the server side too overrides this.
   */
  default void cancel(Connection connection) throws SQLException {
    Executor inline = Runnable::run;
    connection.abort(inline);
  }

  /**
   * Closes the idle connections a pool holds, and those in use once they are given back: called
   * before a retry, after a transient failure that may have broken every connection (a server
   * restart), so the retry does not fail again on a connection that died idle. The default (no
   * pool) does nothing.
   */
  default void discardIdle() {}
}
