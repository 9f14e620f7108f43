package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The stream {@code shop.Users} (id, name, updated) that the REST catalog and S3 tests sync, and
 * the runs of the destination on it in a test's directory: each run's output is checked to hold no
 * secret of the test servers (the REST token and client secret, the S3 keys, the catalog's
 * password). Rows are read back through the JDBC catalog of a config, apart from any sync.
 */
final class ShopUsers {
  static final StreamDescriptor USERS = new StreamDescriptor("shop", "Users");
  static final long EMITTED_AT = 1_700_000_000_123L;

  private static final List<String> SECRETS = List.of(RestCatalogServer.TOKEN, RestCatalogServer.CLIENT_SECRET,
      S3Server.SECRET_ACCESS_KEY, S3Server.ACCESS_KEY_ID, IcebergFixture.WRITER_PASSWORD);

  private final Path directory;

  ShopUsers(Path directory) {
    this.directory = directory;
  }

  /** The catalog of the stream with these generations, appended or deduplicated on id by updated. */
  static ObjectNode catalog(long generation, long minimumGeneration, boolean dedupe) {
    ObjectNode properties = MessageCodec.MAPPER.createObjectNode();
    properties.putObject("id").put("type", "integer");
    properties.putObject("name").put("type", "string");
    properties.putObject("updated").put("type", "integer");
    ObjectNode stream = TestCatalogs.stream(USERS.namespace(), USERS.name(),
            MessageCodec.MAPPER.createObjectNode().put("type", "object").set("properties", properties))
        .put("generation_id", generation).put("minimum_generation_id", minimumGeneration);
    if (dedupe) {
      stream.put("destination_sync_mode", "append_dedup");
      stream.putArray("primary_key").addArray().add("id");
      stream.putArray("cursor_field").add("updated");
    }
    return TestCatalogs.catalog(stream);
  }

  static ObjectNode user(long id, String name, long updated) {
    return MessageCodec.MAPPER.createObjectNode().put("id", id).put("name", name).put("updated", updated);
  }

  /** A complete sync's input: these records, a STATE after them, the stream's COMPLETE. */
  static SyncInput input(ObjectNode... users) {
    SyncInput input = new SyncInput();
    for (ObjectNode user : users) {
      input.record(USERS, EMITTED_AT, user);
    }
    return input.state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", users.length)).complete(USERS);
  }

  /** A write, whatever its outcome. */
  ConnectorRun write(JsonNode config, ObjectNode catalog, SyncInput input) {
    ConnectorRun run = ConnectorRun.write(new IcebergDestination(), config, catalog, input.text(), directory);
    assertNoSecret(run.messages().toString() + run.stderr());
    return run;
  }

  /** A write that succeeds. */
  ConnectorRun sync(JsonNode config, ObjectNode catalog, SyncInput input) {
    ConnectorRun run = write(config, catalog, input);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    return run;
  }

  /** The {@code connectionStatus} of a check. */
  JsonNode checkStatus(JsonNode config) {
    ConnectorRun run = ConnectorRun.check(new IcebergDestination(), config, directory);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    assertNoSecret(run.messages().toString() + run.stderr());
    return run.single(MessageType.CONNECTION_STATUS).json().path("connectionStatus");
  }

  /**
   * The message of the {@code config_error} TRACE a failed run printed, failing unless the run
   * exited with 1 and its first TRACE is one.
   */
  static String configErrorMessage(ConnectorRun run) {
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isEqualTo(1);
    JsonNode error = run.messages(MessageType.TRACE).get(0).json().path("trace").path("error");
    assertThat(error.path("failure_type").asText()).as("failure type of %s", error).isEqualTo("config_error");
    return error.path("message").asText();
  }

  /** Fails when the output of a run holds a secret of the test servers. */
  static void assertNoSecret(String output) {
    for (String secret : SECRETS) {
      assertThat(output).doesNotContain(secret);
    }
  }

  /** The table of the stream, through the JDBC catalog of {@code config}. */
  static Table table(JsonNode config) {
    try (JdbcCatalog catalog = CatalogConnection.open(IcebergConfig.from(config), 1)) {
      return catalog.loadTable(TableIdentifier.of(Namespace.of("shop"), "users"));
    }
  }

  /** The rows readers see, by id, through the JDBC catalog of {@code config}. */
  static List<Map<String, Object>> rows(JsonNode config) {
    List<Map<String, Object>> rows = new ArrayList<>(IcebergFixture.rows(table(config), null));
    rows.sort(Comparator.comparing(row -> (Long) row.get("id")));
    return rows;
  }

  /** The files a packaged jar's write reads: the config, the catalog and the input, in the directory. */
  record JarFiles(Path config, Path catalog, Path input) {}

  /** A config, a catalog of generation 1 and two records with a STATE, as files for the packaged jar. */
  JarFiles jarFiles(JsonNode config) throws IOException {
    return new JarFiles(
        Files.writeString(directory.resolve("config.json"), MessageCodec.encode(config)),
        Files.writeString(directory.resolve("catalog.json"), MessageCodec.encode(IcebergAppendTest.catalog(1, 1, 0))),
        Files.writeString(directory.resolve("input.jsonl"), new SyncInput()
            .record(USERS, 1_700_000_000_000L, IcebergAppendTest.user(1, "Ada"))
            .record(USERS, 1_700_000_000_000L, IcebergAppendTest.user(2, "Grace"))
            .state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", 2))
            .complete(USERS).text()));
  }
}
