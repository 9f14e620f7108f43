package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static io.destkit.testkit.postgres.PostgresServer.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import io.destkit.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table the writer once created now belongs to another role, and the writer keeps only some
 * privileges on it (as after a DBA's ALTER TABLE ... OWNER TO and GRANT). Wherever the refusal
 * comes (schema evolution at start, COPY, the upsert or the refresh at close), the sync ends with a
 * config_error naming the stream, the SQL state and the statement that fixes it. A refresh keeps
 * such a table (and its owner): with the privileges to delete and insert, it succeeds.
 */
class PostgresPrivilegesTest {
  private static final String OTHER_OWNER = "destkit_table_owner";
  private static final String GRANTEE = quote(PostgresTarget.WRITER);

  @TempDir Path tempDir;
  private PostgresServer server;
  private String schema;
  private ObjectNode config;

  @BeforeEach
  void createSchema() {
    server = PostgresTarget.server();
    server.createRole(OTHER_OWNER, "0wner-pass-2b7d");
    schema = PostgresServer.nameFor("destkit_priv", tempDir.toString());
    config = PostgresTarget.config(DEFAULT_DATABASE, schema).put("raw_data_schema", schema + "_raw");
  }

  @Test
  void schemaEvolutionOfATableTheUserDoesNotOwnIsAConfigErrorSayingToChangeTheOwner() {
    StreamDescriptor people = new StreamDescriptor(schema, "people");
    assertSucceeded(sync(stream("people", schema("id")), one(people)));
    handOver("people", "SELECT, INSERT");

    ConnectorRun run = sync(stream("people", schema("id", "name")), one(people));

    assertThat(configError(run))
        .contains("Starting stream '" + schema + ".people' failed")
        .contains("must be owner of table people (SQL state 42501)")
        .contains("ALTER TABLE " + quote("people") + " OWNER TO " + GRANTEE);
  }

  @Test
  void aCopyIntoATableTheUserMayNotInsertIntoIsAConfigErrorWithTheGrant() {
    StreamDescriptor events = new StreamDescriptor(schema, "events");
    assertSucceeded(sync(stream("events", schema("id")), one(events)));
    handOver("events", "SELECT");

    ConnectorRun run = sync(stream("events", schema("id")), one(events));

    assertThat(configError(run))
        .contains("Writing 1 records of stream '" + schema + ".events' failed")
        .contains("permission denied for table events (SQL state 42501)")
        .contains("GRANT SELECT, INSERT, UPDATE, DELETE ON " + quote("events") + " TO " + GRANTEE);
  }

  @Test
  void anUpsertIntoATableTheUserMayNotDeleteFromIsAConfigErrorWithTheGrant() {
    StreamDescriptor accounts = new StreamDescriptor(schema, "accounts");
    ObjectNode dedupe = stream("accounts", schema("id", "name")).put("destination_sync_mode", "append_dedup");
    dedupe.putArray("primary_key").addArray().add("id");
    assertSucceeded(sync(dedupe, one(accounts)));
    handOver("accounts", "SELECT, INSERT");

    ConnectorRun run = sync(dedupe, one(accounts));

    assertThat(configError(run))
        .contains("stream '" + schema + ".accounts'")
        .contains("(SQL state 42501)")
        .contains(" TO " + GRANTEE);
  }

  @Test
  void aRefreshOfATableAnotherRoleOwnsReplacesItsRowsAndKeepsItsOwner() throws Exception {
    StreamDescriptor snapshot = new StreamDescriptor(schema, "snapshot");
    ObjectNode first = stream("snapshot", schema("id")).put("generation_id", 1).put("minimum_generation_id", 1);
    assertSucceeded(sync(first, one(snapshot)));
    handOver("snapshot", "SELECT, INSERT, UPDATE, DELETE");

    ObjectNode refresh = stream("snapshot", schema("id")).put("generation_id", 2).put("minimum_generation_id", 2);
    assertSucceeded(sync(refresh, one(snapshot)));

    // A swap would have made the writer its owner (or failed): the table is kept, its rows replaced.
    try (java.sql.Connection connection = server.superuserConnection(DEFAULT_DATABASE);
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery("SELECT pg_get_userbyid(c.relowner), (SELECT count(*) FROM "
            + quote(schema) + "." + quote("snapshot") + " WHERE \"_airbyte_generation_id\" = 2) FROM pg_class c"
            + " WHERE c.oid = '" + quote(schema) + "." + quote("snapshot") + "'::regclass")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo(OTHER_OWNER);
      assertThat(rows.getLong(2)).isEqualTo(1);
    }
  }

  @Test
  void aRefreshOfATableTheUserMayNotDeleteFromIsAConfigErrorWithTheGrant() {
    StreamDescriptor snapshot = new StreamDescriptor(schema, "snapshot");
    ObjectNode first = stream("snapshot", schema("id")).put("generation_id", 1).put("minimum_generation_id", 1);
    assertSucceeded(sync(first, one(snapshot)));
    handOver("snapshot", "SELECT, INSERT");

    ObjectNode refresh = stream("snapshot", schema("id")).put("generation_id", 2).put("minimum_generation_id", 2);
    ConnectorRun run = sync(refresh, one(snapshot));

    assertThat(configError(run))
        .contains("stream '" + schema + ".snapshot'")
        .contains("permission denied for table snapshot (SQL state 42501)")
        .contains("GRANT SELECT, INSERT, UPDATE, DELETE ON " + quote("snapshot") + " TO " + GRANTEE);
  }

  /** The table now belongs to another role; the writer keeps only these privileges on it. */
  private void handOver(String table, String privileges) {
    String qualified = quote(schema) + "." + quote(table);
    server.execute(DEFAULT_DATABASE,
        "ALTER TABLE " + qualified + " OWNER TO " + quote(OTHER_OWNER),
        "GRANT " + privileges + " ON " + qualified + " TO " + GRANTEE);
  }

  private ObjectNode stream(String name, JsonNode jsonSchema) {
    return TestCatalogs.stream(schema, name, jsonSchema);
  }

  private static JsonNode schema(String... fields) {
    ObjectNode schema = MessageCodec.MAPPER.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (String field : fields) {
      properties.putObject(field).put("type", field.equals("id") ? "integer" : "string");
    }
    return schema;
  }

  private static SyncInput one(StreamDescriptor stream) {
    return new SyncInput()
        .record(stream, 1_000, MessageCodec.MAPPER.createObjectNode().put("id", 1).put("name", "Ann"))
        .complete(stream);
  }

  private ConnectorRun sync(ObjectNode configuredStream, SyncInput input) {
    return ConnectorRun.write(
        new PostgresDestination(), config, TestCatalogs.catalog(configuredStream), input.text(), tempDir);
  }

  private static void assertSucceeded(ConnectorRun run) {
    assertThat(run.exitCode()).as("stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
  }

  /** The message of the run's one error, which must be a config_error. */
  private static String configError(ConnectorRun run) {
    assertThat(run.exitCode()).as("exit code; stderr %s", run.stderr()).isEqualTo(1);
    JsonNode error = run.messages(MessageType.TRACE).get(run.messages(MessageType.TRACE).size() - 1)
        .json().path("trace").path("error");
    assertThat(error.path("failure_type").asText()).as("error %s", error).isEqualTo("config_error");
    return error.path("message").asText();
  }
}
