package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static io.destkit.testkit.postgres.PostgresServer.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.write.RawId;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.Fixtures;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import io.destkit.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A killed attempt's connection can still be committing when the next attempt starts (the server
 * finishes what the client sent before it died). The next attempt's removal of the rows no STATE
 * covered waits for that transaction, then removes its rows too, so none of them is kept beside
 * the copies the source sends again.
 */
class PostgresRemovalWaitsForWritersTest {
  @TempDir Path directory;

  @Test
  void theRemovalWaitsForAWriteStillInFlightAndRemovesItsRowsToo() throws Exception {
    PostgresTarget.server();
    String schema = PostgresServer.nameFor("destkit_removal", directory.toString());
    ObjectNode config = PostgresTarget.config(DEFAULT_DATABASE, schema).put("raw_data_schema", schema + "_raw");
    StreamDescriptor events = new StreamDescriptor(schema, "events");
    ObjectNode catalog = TestCatalogs.catalog(TestCatalogs.stream(schema, "events",
        Fixtures.json("{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}}}")));

    // An attempt that ends before its stream completes: row 1 is covered by a STATE, row 2 is not.
    ConnectorRun unfinished = ConnectorRun.write(new PostgresDestination(), config, catalog, new SyncInput()
        .record(events, 1000, id(1)).state(events, MessageCodec.MAPPER.createObjectNode().put("cursor", 1))
        .record(events, 1000, id(2)).text(), directory);
    assertThat(unfinished.exitCode()).isEqualTo(1);
    assertThat(ids(schema)).containsExactly(1L, 2L);

    try (Connection orphan = connect()) {
      // The killed attempt's last batch, not yet committed when the next attempt starts.
      orphan.setAutoCommit(false);
      try (Statement statement = orphan.createStatement()) {
        statement.execute("INSERT INTO " + quote(schema) + ".events (_airbyte_raw_id, _airbyte_extracted_at,"
            + " _airbyte_meta, _airbyte_generation_id, id) VALUES ('" + RawId.firstOf(System.currentTimeMillis())
            + "', now(), '{}', 0, 3)");
      }
      CompletableFuture<ConnectorRun> next = CompletableFuture.supplyAsync(() -> ConnectorRun.write(
          new PostgresDestination(), config, catalog,
          new SyncInput().record(events, 1000, id(2)).record(events, 1000, id(3)).complete(events).text(), directory));

      assertThat(waitForABlockedLock(schema)).as("the next attempt's removal waits for the uncommitted write").isTrue();
      assertThat(next).isNotDone();
      orphan.commit();

      ConnectorRun run = next.get(60, TimeUnit.SECONDS);
      assertThat(run.exitCode()).as("stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
      assertThat(run.messages(MessageType.LOG)).anySatisfy(log ->
          assertThat(log.json().path("log").path("message").asText()).contains("removed 2 rows"));
    }
    assertThat(ids(schema)).containsExactly(1L, 2L, 3L);
  }

  private static ObjectNode id(long id) {
    return MessageCodec.MAPPER.createObjectNode().put("id", id);
  }

  /** Whether, within 20 s, a session waits for a lock on the schema's events table. */
  private static boolean waitForABlockedLock(String schema) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted AND c.relname = 'events'"
            + " AND n.nspname = '" + schema + "'")) {
          rows.next();
          if (rows.getLong(1) > 0) {
            return true;
          }
        }
        Thread.sleep(100);
      }
    }
    return false;
  }

  private static List<Long> ids(String schema) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection connection = connect(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM " + quote(schema) + ".events ORDER BY id")) {
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
    }
    return ids;
  }

  private static Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", PostgresTarget.WRITER);
    properties.setProperty("password", PostgresTarget.WRITER_PASSWORD);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.get().port() + "/" + DEFAULT_DATABASE, properties);
  }
}
