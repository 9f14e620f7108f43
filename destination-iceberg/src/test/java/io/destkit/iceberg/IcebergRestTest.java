package io.destkit.iceberg;

import static io.destkit.iceberg.ShopUsers.USERS;
import static io.destkit.iceberg.ShopUsers.EMITTED_AT;
import static io.destkit.iceberg.ShopUsers.catalog;
import static io.destkit.iceberg.ShopUsers.input;
import static io.destkit.iceberg.ShopUsers.rows;
import static io.destkit.iceberg.ShopUsers.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a REST catalog (Iceberg's REST handlers over a JDBC catalog, served on the loopback
 * address): checks with a token and with an OAuth2 credential, a wrong token and an unreachable
 * server failing naming the field, appends, a refresh, a dedupe, a retry after an unfinished attempt
 * holding each record once (the checkpoints in the catalog's own table), and an S3 warehouse. Rows
 * are read back through the JDBC catalog behind the server.
 */
class IcebergRestTest {
  @TempDir Path tempDir;
  private RestCatalogServer server;
  private ShopUsers syncs;

  @BeforeEach
  void directory() {
    syncs = new ShopUsers(tempDir);
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** A REST config whose server is backed by the JDBC catalog of {@code backingConfig}. */
  private ObjectNode restConfig(ObjectNode backingConfig) throws Exception {
    server = RestCatalogServer.over(backingConfig);
    return server.clientConfig(backingConfig);
  }

  private ConnectorRun write(JsonNode config, ObjectNode catalog, SyncInput input) {
    return syncs.write(config, catalog, input);
  }

  private ConnectorRun sync(JsonNode config, ObjectNode catalog, SyncInput input) {
    return syncs.sync(config, catalog, input);
  }

  private JsonNode checkStatus(JsonNode config) {
    return syncs.checkStatus(config);
  }

  private static ObjectNode rest(ObjectNode config) {
    return (ObjectNode) config.get("catalog_type");
  }

  @Test
  void checkSucceedsWithATokenAndLeavesNoProbeTable() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ObjectNode config = restConfig(fixture.config());

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).as("status %s", status).isEqualTo("SUCCEEDED");
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      assertThat(catalog.listTables(Namespace.of("public")))
          .noneMatch(table -> table.name().startsWith("_destkit_check_"));
    }
  }

  @Test
  void checkSucceedsWithAnOAuth2ClientCredential() throws Exception {
    ObjectNode config = restConfig(new IcebergFixture(tempDir).config());
    rest(config).remove("token");
    rest(config).put("credential", RestCatalogServer.CLIENT_ID + ":" + RestCatalogServer.CLIENT_SECRET);

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).as("status %s", status).isEqualTo("SUCCEEDED");
  }

  @Test
  void aWrongTokenFailsNamingTheTokenField() throws Exception {
    ObjectNode config = restConfig(new IcebergFixture(tempDir).config());
    rest(config).put("token", "Wrong-token-77b0");

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("refused the credentials", "401", "'catalog_type.token'").doesNotContain("Wrong-token-77b0");
  }

  @Test
  void aWrongClientSecretFailsNamingTheCredentialField() throws Exception {
    ObjectNode config = restConfig(new IcebergFixture(tempDir).config());
    rest(config).remove("token");
    rest(config).put("credential", RestCatalogServer.CLIENT_ID + ":Wrong-client-secret-4e19");

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("refused the credentials", "'catalog_type.credential'").doesNotContain("Wrong-client-secret-4e19");
  }

  @Test
  void anUnreachableServerFailsNamingTheServerUri() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ObjectNode config = restConfig(new IcebergFixture(tempDir).config());
    rest(config).put("server_uri", "http://127.0.0.1:" + closedPort);

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("Cannot connect to the REST catalog", ":" + closedPort, "'catalog_type.server_uri'");
  }

  @Test
  void aWriteWithAWrongTokenIsAConfigError() throws Exception {
    ObjectNode config = restConfig(new IcebergFixture(tempDir).config());
    rest(config).put("token", "Wrong-token-77b0");

    ConnectorRun run = write(config, catalog(0, 0, false), input(user(1, "Ada", 1)));

    assertThat(ShopUsers.configErrorMessage(run)).contains("'catalog_type.token'");
  }

  @ParameterizedTest
  @EnumSource(RestCatalogServer.Route.class)
  void aCheckRefusedWith403FailsNamingTheFieldsToFix(RestCatalogServer.Route route) throws Exception {
    ObjectNode config = restConfig(new IcebergFixture(tempDir).config());
    server.forbid(route);

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains("HTTP 403", "'catalog_type.token'", forbiddenField(route));
  }

  @ParameterizedTest
  @EnumSource(RestCatalogServer.Route.class)
  void aWriteRefusedWith403IsAConfigErrorNamingTheFieldsToFix(RestCatalogServer.Route route) throws Exception {
    ObjectNode config = restConfig(new IcebergFixture(tempDir).config());
    rest(config).remove("token");
    rest(config).put("credential", RestCatalogServer.CLIENT_ID + ":" + RestCatalogServer.CLIENT_SECRET);
    // Reads are granted, creating and committing refused.
    server.forbid(route, route == RestCatalogServer.Route.CONFIG ? "GET" : "POST");

    ConnectorRun run = write(config, catalog(0, 0, false), input(user(1, "Ada", 1)));

    assertThat(run.messages(MessageType.STATE)).isEmpty();
    assertThat(ShopUsers.configErrorMessage(run)).contains("HTTP 403", "'catalog_type.credential'", forbiddenField(route));
  }

  @Test
  void aWarehouseTheServerDoesNotHaveFailsNamingTheWarehouseField() throws Exception {
    ObjectNode config = restConfig(new IcebergFixture(tempDir).config());
    server.serveOnly("analytics");

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("has no warehouse 'file:", "HTTP 404", "'warehouse_location'");
  }

  /** What the message of a 403 on the route says was refused, or asks the user to check. */
  private static String forbiddenField(RestCatalogServer.Route route) {
    return switch (route) {
      case CONFIG -> "'warehouse_location'";
      case NAMESPACE -> "refused a namespace operation";
      case TABLE -> "refused a table operation";
    };
  }

  @Test
  void appendsAddToTheTable() throws Exception {
    ObjectNode backing = new IcebergFixture(tempDir).config();
    ObjectNode config = restConfig(backing);

    sync(config, catalog(0, 0, false), input(user(1, "Ada", 1), user(2, "Grace", 1)));
    sync(config, catalog(0, 0, false), input(user(3, "Edsger", 1)));

    assertThat(rows(backing)).extracting(row -> row.get("name")).containsExactly("Ada", "Grace", "Edsger");
  }

  @Test
  void aTruncateRefreshReplacesTheRows() throws Exception {
    ObjectNode backing = new IcebergFixture(tempDir).config();
    ObjectNode config = restConfig(backing);
    sync(config, catalog(1, 0, false), input(user(1, "Ada", 1), user(2, "Grace", 1)));

    sync(config, catalog(2, 2, false), input(user(3, "Edsger", 1)));

    assertThat(rows(backing)).extracting(row -> row.get("name") + " " + row.get("_airbyte_generation_id"))
        .containsExactly("Edsger 2");
  }

  @Test
  void aDedupeKeepsTheNewestVersionOfEachKey() throws Exception {
    ObjectNode backing = new IcebergFixture(tempDir).config();
    ObjectNode config = restConfig(backing);
    sync(config, catalog(0, 0, true), input(user(1, "Ada", 5), user(2, "Grace", 5)));

    sync(config, catalog(0, 0, true), input(user(1, "Ada older", 4), user(2, "Grace newer", 6), user(3, "Edsger", 1)));

    assertThat(rows(backing)).extracting(row -> row.get("id") + " " + row.get("name"))
        .containsExactly("1 Ada", "2 Grace newer", "3 Edsger");
  }

  @Test
  void aSyncAfterAnUnfinishedAttemptHoldsTheRecordsNoStateCoveredOnce() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ObjectNode backing = fixture.config();
    ObjectNode config = restConfig(backing);
    SyncInput cut = new SyncInput()
        .record(USERS, EMITTED_AT, user(1, "a", 1))
        .record(USERS, EMITTED_AT, user(2, "b", 1))
        .state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", 2))
        .record(USERS, EMITTED_AT, user(3, "c", 1))
        .record(USERS, EMITTED_AT, user(4, "d", 1));
    ConnectorRun first = write(config, catalog(1, 1, false), cut);
    assertThat(first.exitCode()).isEqualTo(1);
    assertThat(rows(backing)).extracting(row -> row.get("id")).containsExactly(1L, 2L, 3L, 4L);
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      Table checkpoints = catalog.loadTable(
          TableIdentifier.of(Namespace.of("public"), TableCheckpointStore.TABLE_NAME));
      assertThat(checkpoints.properties().get(TableCheckpointStore.PREFIX + "shop.users"))
          .contains("\"finished\":false");
    }

    SyncInput resent = new SyncInput()
        .record(USERS, EMITTED_AT, user(3, "c", 1))
        .record(USERS, EMITTED_AT, user(4, "d", 1))
        .complete(USERS);
    sync(config, catalog(1, 1, false), resent);

    assertThat(rows(backing)).extracting(row -> row.get("id")).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aRestCatalogWritesAnS3Warehouse() throws Exception {
    String bucket = S3Server.createBucket();
    ObjectNode backing = S3Server.config(new IcebergFixture(tempDir), bucket);
    ObjectNode config = restConfig(backing);

    assertThat(checkStatus(config).path("status").asText()).isEqualTo("SUCCEEDED");
    sync(config, catalog(0, 0, false), input(user(1, "Ada", 1), user(2, "Grace", 1)));

    assertThat(rows(backing)).extracting(row -> row.get("name")).containsExactly("Ada", "Grace");
    assertThat(S3Server.keys(bucket)).anyMatch(key -> key.startsWith("warehouse/shop/users/data/"));
  }
}
