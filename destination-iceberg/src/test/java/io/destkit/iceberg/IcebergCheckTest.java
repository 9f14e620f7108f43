package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageType;
import io.destkit.testkit.ConnectorRun;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --check} succeeds against a real catalog (creating the namespace and leaving no probe
 * table), and fails with a message naming the field to fix; the password is never printed.
 */
class IcebergCheckTest {
  @TempDir Path tempDir;

  private JsonNode status(JsonNode config) {
    ConnectorRun run = ConnectorRun.check(new IcebergDestination(), config, tempDir);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    String stdout = run.messages().toString();
    assertThat(stdout).doesNotContain(IcebergFixture.WRITER_PASSWORD);
    assertThat(run.stderr()).doesNotContain(IcebergFixture.WRITER_PASSWORD);
    return run.single(MessageType.CONNECTION_STATUS).json().path("connectionStatus");
  }

  private static ObjectNode catalog(ObjectNode config) {
    return (ObjectNode) config.get("catalog_type");
  }

  @Test
  void checkSucceedsCreatesTheNamespaceAndLeavesNoProbeTable() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ObjectNode config = fixture.config();
    catalog(config).put("namespace", "checked_ns");

    JsonNode status = status(config);

    assertThat(status.path("status").asText()).as("status %s", status).isEqualTo("SUCCEEDED");
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      assertThat(catalog.namespaceExists(Namespace.of("checked_ns"))).isTrue();
      assertThat(catalog.listTables(Namespace.of("checked_ns"))).isEmpty();
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(fixture.warehouse)) {
      assertThat(files.filter(path -> !path.equals(fixture.warehouse)).map(Path::toString).toList())
          .as("nothing of the probe table is left in the warehouse")
          .allSatisfy(path -> assertThat(path).doesNotContain("_destkit_check_"));
    }
  }

  @Test
  void aWrongPasswordFailsNamingUsernameAndPassword() {
    ObjectNode config = new IcebergFixture(tempDir).config();
    catalog(config).put("password", "Wrong-pass-91ce");

    JsonNode status = status(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("refused the login of user '" + IcebergFixture.WRITER + "'", "28P01",
            "'catalog_type.username'", "'catalog_type.password'")
        .doesNotContain("Wrong-pass-91ce");
  }

  @Test
  void anUnreachableDatabaseFailsNamingTheJdbcUrl() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ObjectNode config = new IcebergFixture(tempDir).config();
    catalog(config).put("jdbc_url", IcebergFixture.jdbcUrl(closedPort, "iceberg"));

    JsonNode status = status(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("Cannot connect to the catalog's database", ":" + closedPort, "'catalog_type.jdbc_url'");
  }

  @Test
  void aMissingDatabaseFailsNamingTheJdbcUrl() {
    ObjectNode config = new IcebergFixture(tempDir).config();
    catalog(config).put("jdbc_url", IcebergFixture.jdbcUrl(IcebergFixture.server().port(), "no_such_catalog_db"));

    JsonNode status = status(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains("no_such_catalog_db", "does not exist", "3D000");
  }

  @Test
  void aUserWhoMayNotCreateTheCatalogTablesFailsSayingWhatToGrant() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    IcebergFixture.server().createRole("destkit_iceberg_reader", "Reader-pass-1f2e");
    ObjectNode config = fixture.config();
    catalog(config).put("username", "destkit_iceberg_reader").put("password", "Reader-pass-1f2e");

    JsonNode status = status(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("User 'destkit_iceberg_reader' lacks a privilege", "42501", "permission denied");
  }

  @Test
  void aWarehouseThatIsAFileFailsNamingTheField() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    java.nio.file.Files.writeString(fixture.warehouse, "not a directory");

    JsonNode status = status(fixture.config());

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains("'warehouse_location'", fixture.warehouse.toString());
  }

  @Test
  void anUnsupportedCatalogTypeFailsNamingTheField() {
    ObjectNode config = new IcebergFixture(tempDir).config();
    catalog(config).put("catalog_type", "GLUE");

    ConnectorRun run = ConnectorRun.check(new IcebergDestination(), config, tempDir);

    String output = run.messages().toString();
    assertThat(output).contains("catalog_type");
  }
}
