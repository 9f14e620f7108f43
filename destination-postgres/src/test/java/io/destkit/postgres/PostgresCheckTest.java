package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static io.destkit.testkit.postgres.PostgresServer.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageType;
import io.destkit.testkit.CheckSuite;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.TestTarget;
import io.destkit.testkit.postgres.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each failure names what is wrong and what to do; the suite also checks that no password (a
 * secret field) is ever printed.
 */
class PostgresCheckTest extends CheckSuite<PostgresConfig> {
  /** May log in; may neither create a schema in the database nor write in a schema it was not granted. */
  private static final String LIMITED = "destkit_limited";
  private static final String LIMITED_PASSWORD = "L1mited-pass-77ab";

  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  @Override
  protected List<FailingConfig> failingConfigs(Path directory) throws Exception {
    PostgresServer server = PostgresTarget.server();
    server.createRole(LIMITED, LIMITED_PASSWORD);
    String othersSchema = PostgresServer.nameFor("destkit_others", directory.toString());
    server.execute(DEFAULT_DATABASE, "CREATE SCHEMA IF NOT EXISTS " + quote(othersSchema));
    String grantedSchema = grantedSchema(directory);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    return List.of(
        new FailingConfig("the host is unknown", valid(directory).put("host", "no-such-host.invalid"),
            "Unknown host 'no-such-host.invalid'", "Check the field 'host'"),
        new FailingConfig("nothing listens on the port", valid(directory).put("port", closedPort),
            "Cannot connect to localhost:" + closedPort, "Check the fields 'host' and 'port'"),
        new FailingConfig("the password is wrong", valid(directory).put("password", "Wrong-pass-0d9e"),
            "Authentication of user '" + PostgresTarget.WRITER + "' failed", "Check the fields 'username' and 'password'"),
        new FailingConfig("the database does not exist", valid(directory).put("database", "no_such_db"),
            "Database 'no_such_db' does not exist", "Check the field 'database'"),
        new FailingConfig("the user may not create the schema", limited(directory, "destkit_new_schema"),
            "User '" + LIMITED + "' lacks a privilege", "permission denied for database " + DEFAULT_DATABASE,
            "GRANT CREATE ON DATABASE " + quote(DEFAULT_DATABASE) + " TO " + quote(LIMITED)),
        new FailingConfig("the user has no rights on the schema", limited(directory, othersSchema),
            "User '" + LIMITED + "' lacks a privilege", "permission denied for schema " + othersSchema,
            "GRANT USAGE, CREATE ON SCHEMA " + quote(othersSchema) + " TO " + quote(LIMITED)),
        new FailingConfig("the user may write in the schema but not create raw_data_schema",
            limited(directory, grantedSchema).put("raw_data_schema", "destkit_new_raw_schema"),
            "permission denied for database " + DEFAULT_DATABASE,
            "GRANT CREATE ON DATABASE " + quote(DEFAULT_DATABASE) + " TO " + quote(LIMITED)));
  }

  /** As the README says: without CREATE on the database, schemas created for the user and granted to it do. */
  @Test
  void checkSucceedsForAUserWithoutCreateOnTheDatabaseInSchemasGrantedToIt() {
    String schema = grantedSchema(tempDir);
    String rawSchema = grantedSchema(tempDir.resolve("raw"));
    JsonNode config = limited(tempDir, schema).put("raw_data_schema", rawSchema);

    ConnectorRun run = ConnectorRun.check(destination(), config, tempDir);

    JsonNode status = run.single(MessageType.CONNECTION_STATUS).json().path("connectionStatus");
    assertThat(status.path("status").asText()).as("connection status %s", status).isEqualTo("SUCCEEDED");
  }

  /** A schema the superuser made, on which the limited user has USAGE and CREATE. */
  private static String grantedSchema(Path directory) {
    PostgresServer server = PostgresTarget.server();
    server.createRole(LIMITED, LIMITED_PASSWORD);
    String schema = PostgresServer.nameFor("destkit_granted", directory.toString());
    server.execute(DEFAULT_DATABASE, "CREATE SCHEMA IF NOT EXISTS " + quote(schema),
        "GRANT USAGE, CREATE ON SCHEMA " + quote(schema) + " TO " + quote(LIMITED));
    return schema;
  }

  private ObjectNode valid(Path directory) {
    return (ObjectNode) validConfig(directory);
  }

  private ObjectNode limited(Path directory, String schema) {
    return valid(directory).put("username", LIMITED).put("password", LIMITED_PASSWORD).put("schema", schema);
  }
}
