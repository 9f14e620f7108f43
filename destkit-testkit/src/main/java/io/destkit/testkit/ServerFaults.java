package io.destkit.testkit;

import io.destkit.core.catalog.TableName;
import java.time.Duration;

/**
 * The faults a test can inject into a destination that talks to a database server over network
 * connections (PostgreSQL); an in-process database (DuckDB) has none. Each acts from outside the
 * connector, as the server's administrator would.
 *
 * @param <C> the destination's typed config
 */
public interface ServerFaults<C> {
  /** Terminates every connection of the connector to the config's database; returns how many. */
  int terminateConnections(C config);

  /** How many of the connector's sessions are running a statement that starts with this (e.g. COPY). */
  int runningStatements(C config, String statementPrefix);

  /** Stops the server, waits {@code downtime}, and starts it again, on the same port and data. */
  void restartServer(Duration downtime);

  /**
   * Takes the strongest lock on the table from a session of its own, which blocks every write (and
   * read) of it until the returned handle is closed.
   */
  AutoCloseable lockTable(C config, TableName table) throws Exception;

  /** Leaves the connector's user only the right to read the table: writing it fails, for good. */
  void denyWrites(C config, TableName table);
}
