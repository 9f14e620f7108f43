package io.destkit.postgres;

import io.destkit.core.catalog.TableName;
import io.destkit.testkit.ConnectionFaultsSuite;
import io.destkit.testkit.ServerFaults;
import io.destkit.testkit.TestTarget;
import io.destkit.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The connector's connections terminated, the server restarted, a table locked by another session
 * or no longer writable, all mid-sync, on the tests' real PostgreSQL server.
 */
class PostgresConnectionFaultsTest extends ConnectionFaultsSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  @Override
  protected Optional<ServerFaults<PostgresConfig>> serverFaults() {
    return Optional.of(new Faults(PostgresTarget.server()));
  }

  private record Faults(PostgresServer server) implements ServerFaults<PostgresConfig> {
    @Override
    public int terminateConnections(PostgresConfig config) {
      return server.terminateConnections(config.database(), PostgresDatabase.APPLICATION_NAME);
    }

    @Override
    public int runningStatements(PostgresConfig config, String statementPrefix) {
      return server.activeStatements(config.database(), PostgresDatabase.APPLICATION_NAME, statementPrefix);
    }

    @Override
    public void restartServer(Duration downtime) {
      server.restart(downtime);
    }

    @Override
    public AutoCloseable lockTable(PostgresConfig config, TableName table) throws Exception {
      Connection connection = server.superuserConnection(config.database());
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("LOCK TABLE " + qualified(table) + " IN ACCESS EXCLUSIVE MODE");
      }
      return () -> {
        try (connection) {
          connection.rollback();
        }
      };
    }

    @Override
    public void denyWrites(PostgresConfig config, TableName table) {
      server.execute(config.database(),
          "ALTER TABLE " + qualified(table) + " OWNER TO " + PostgresServer.SUPERUSER,
          "GRANT SELECT ON " + qualified(table) + " TO " + PostgresServer.quote(config.username()));
    }

    private static String qualified(TableName table) {
      return PostgresServer.quote(table.namespace()) + "." + PostgresServer.quote(table.name());
    }
  }
}
