package io.destkit.iceberg;

import static io.destkit.iceberg.ShopUsers.USERS;
import static io.destkit.iceberg.ShopUsers.EMITTED_AT;
import static io.destkit.iceberg.ShopUsers.catalog;
import static io.destkit.iceberg.ShopUsers.input;
import static io.destkit.iceberg.ShopUsers.rows;
import static io.destkit.iceberg.ShopUsers.table;
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
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.FileScanTask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse on an S3-compatible server (S3Proxy in the test JVM, signatures checked): check,
 * appends, a refresh and a dedupe, read back with Iceberg's reader through S3; a missing bucket,
 * refused credentials and an unreachable endpoint each fail naming the field; the secrets are never
 * printed.
 */
class IcebergS3Test {
  @TempDir Path tempDir;
  private ShopUsers syncs;

  @BeforeEach
  void directory() {
    syncs = new ShopUsers(tempDir);
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

  private static List<String> dataFiles(Table table) throws Exception {
    List<String> locations = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        locations.add(file.location());
      }
    }
    return locations;
  }

  @Test
  void checkSucceedsAndLeavesNoObjectOfTheProbeTable() {
    String bucket = S3Server.createBucket();
    JsonNode config = S3Server.config(new IcebergFixture(tempDir), bucket);

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).as("status %s", status).isEqualTo("SUCCEEDED");
    assertThat(S3Server.keys(bucket)).noneMatch(key -> key.contains("_destkit_check_"));
  }

  @Test
  void aMissingBucketFailsNamingTheBucketField() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ObjectNode config = S3Server.config(fixture, "destkit-no-such-bucket");

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("'destkit-no-such-bucket'", "does not exist", "'s3_bucket_name'", "'warehouse_location'");
  }

  @Test
  void aWrongSecretFailsNamingTheCredentialFields() {
    ObjectNode config = S3Server.config(new IcebergFixture(tempDir), S3Server.createBucket());
    config.put("secret_access_key", "Wrong-s3-secret-22aa");

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("S3 refused the credentials", "'access_key_id'", "'secret_access_key'")
        .doesNotContain("Wrong-s3-secret-22aa");
  }

  @Test
  void anUnknownAccessKeyFailsNamingTheCredentialFields() {
    ObjectNode config = S3Server.config(new IcebergFixture(tempDir), S3Server.createBucket());
    config.put("access_key_id", "unknown-access-key");

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains("'access_key_id'", "'secret_access_key'");
  }

  @Test
  void anUnreachableEndpointFailsNamingTheEndpointField() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ObjectNode config = S3Server.config(new IcebergFixture(tempDir), S3Server.createBucket());
    config.put("s3_endpoint", "http://127.0.0.1:" + closedPort);

    JsonNode status = checkStatus(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .contains("Cannot reach S3 at http://127.0.0.1:" + closedPort, "'s3_endpoint'")
        .doesNotContain("catalog_type.jdbc_url");
  }

  @Test
  void aWriteWithRefusedCredentialsIsAConfigErrorNamingTheFields() {
    ObjectNode config = S3Server.config(new IcebergFixture(tempDir), S3Server.createBucket());
    config.put("secret_access_key", "Wrong-s3-secret-22aa");

    ConnectorRun run = write(config, catalog(0, 0, false), input(user(1, "Ada", 1)));

    assertThat(run.messages(MessageType.STATE)).isEmpty();
    assertThat(ShopUsers.configErrorMessage(run)).contains("'access_key_id'", "'secret_access_key'");
    assertThat(run.messages().toString() + run.stderr()).doesNotContain("Wrong-s3-secret-22aa");
  }

  @Test
  void aWriteToAMissingBucketIsAConfigErrorNamingTheField() {
    ObjectNode config = S3Server.config(new IcebergFixture(tempDir), "destkit-no-such-bucket");

    ConnectorRun run = write(config, catalog(0, 0, false), input(user(1, "Ada", 1)));

    assertThat(ShopUsers.configErrorMessage(run)).contains("'s3_bucket_name'");
  }

  /** A config of bucket {@code destkit-far-bucket} in region us-east-1, whose endpoint answers as S3 for another region. */
  private ObjectNode farBucketConfig(OtherRegionS3 s3) {
    ObjectNode config = S3Server.config(new IcebergFixture(tempDir), "destkit-far-bucket");
    config.put("s3_endpoint", s3.endpoint().toString());
    return config;
  }

  @ParameterizedTest
  @EnumSource(OtherRegionS3.Answer.class)
  void aBucketInAnotherRegionFailsTheCheckNamingTheRegionField(OtherRegionS3.Answer answer) throws Exception {
    try (OtherRegionS3 s3 = new OtherRegionS3("eu-west-1", answer)) {
      ObjectNode config = farBucketConfig(s3);

      JsonNode status = checkStatus(config);

      assertThat(status.path("status").asText()).isEqualTo("FAILED");
      assertThat(status.path("message").asText()).contains(
          "'destkit-far-bucket'", "is not in region 'us-east-1' but in 'eu-west-1'", "'s3_bucket_region'");
    }
  }

  @ParameterizedTest
  @EnumSource(OtherRegionS3.Answer.class)
  void aWriteToABucketInAnotherRegionIsAConfigErrorNamingTheRegionField(OtherRegionS3.Answer answer) throws Exception {
    try (OtherRegionS3 s3 = new OtherRegionS3("eu-west-1", answer)) {
      ObjectNode config = farBucketConfig(s3);

      ConnectorRun run = write(config, catalog(0, 0, false), input(user(1, "Ada", 1)));

      assertThat(run.messages(MessageType.STATE)).isEmpty();
      assertThat(ShopUsers.configErrorMessage(run)).contains("'eu-west-1'", "'s3_bucket_region'");
    }
  }

  @ParameterizedTest
  @EnumSource(OtherRegionS3.Answer.class)
  void anObjectRequestToABucketInAnotherRegionIsAConfigErrorNamingTheRegionField(OtherRegionS3.Answer answer)
      throws Exception {
    try (OtherRegionS3 s3 = new OtherRegionS3("eu-west-1", answer)) {
      ObjectNode config = farBucketConfig(s3);
      S3Warehouse warehouse = (S3Warehouse) IcebergConfig.from(config).warehouse();
      S3Exception failure;
      // A data file's read, as Iceberg's S3FileIO makes it: the answer has a body, so an error code.
      try (S3Client client = warehouse.client()) {
        failure = org.junit.jupiter.api.Assertions.assertThrows(S3Exception.class,
            () -> client.getObjectAsBytes(request -> request.bucket("destkit-far-bucket").key("warehouse/a.parquet")));
      }
      assertThat(failure.awsErrorDetails().errorCode())
          .isEqualTo(answer == OtherRegionS3.Answer.PERMANENT_REDIRECT ? "PermanentRedirect" : "AuthorizationHeaderMalformed");

      assertThat(new IcebergErrors(IcebergConfig.from(config)).configError(new java.io.UncheckedIOException(
              new java.io.IOException("Cannot read warehouse/a.parquet", failure))))
          .hasValueSatisfying(error -> assertThat(error.getMessage())
              .contains("is not in region 'us-east-1' but in 'eu-west-1'", "'s3_bucket_region'"));
    }
  }

  @Test
  void appendsAreReadBackFromTheBucket() throws Exception {
    String bucket = S3Server.createBucket();
    JsonNode config = S3Server.config(new IcebergFixture(tempDir), bucket);

    ConnectorRun first = sync(config, catalog(0, 0, false), input(user(1, "Ada", 1), user(2, "Grace", 1)));
    sync(config, catalog(0, 0, false), input(user(3, "Edsger", 1)));

    assertThat(IcebergFixture.recordCounts(first)).containsExactly(2L);
    assertThat(rows(config)).extracting(row -> row.get("name")).containsExactly("Ada", "Grace", "Edsger");
    Table table = table(config);
    assertThat(table.location()).isEqualTo("s3://" + bucket + "/warehouse/shop/users");
    List<String> files = dataFiles(table);
    assertThat(files).hasSize(2).allSatisfy(file -> assertThat(file).startsWith(table.location() + "/data/"));
    List<String> keys = S3Server.keys(bucket);
    assertThat(files).allSatisfy(file -> assertThat(keys).contains(file.substring(("s3://" + bucket + "/").length())));
    assertThat(keys).anyMatch(key -> key.startsWith("warehouse/shop/users/metadata/") && key.endsWith(".metadata.json"));
  }

  @Test
  void aTruncateRefreshReplacesTheRows() {
    JsonNode config = S3Server.config(new IcebergFixture(tempDir), S3Server.createBucket());
    sync(config, catalog(1, 0, false), input(user(1, "Ada", 1), user(2, "Grace", 1)));

    sync(config, catalog(2, 2, false), input(user(3, "Edsger", 1)));

    assertThat(rows(config)).extracting(row -> row.get("name") + " " + row.get("_airbyte_generation_id"))
        .containsExactly("Edsger 2");
    assertThat(table(config).refs()).containsOnlyKeys("main");
  }

  @Test
  void aDedupeKeepsTheNewestVersionOfEachKey() {
    JsonNode config = S3Server.config(new IcebergFixture(tempDir), S3Server.createBucket());
    sync(config, catalog(0, 0, true), input(user(1, "Ada", 5), user(2, "Grace", 5)));

    sync(config, catalog(0, 0, true), input(user(1, "Ada older", 4), user(2, "Grace newer", 6), user(3, "Edsger", 1)));

    assertThat(rows(config)).extracting(row -> row.get("id") + " " + row.get("name"))
        .containsExactly("1 Ada", "2 Grace newer", "3 Edsger");
  }

  @Test
  void aSyncAfterAnUnfinishedAttemptHoldsTheRecordsNoStateCoveredOnce() {
    JsonNode config = S3Server.config(new IcebergFixture(tempDir), S3Server.createBucket());
    // 1 and 2 are covered by the state; 3 and 4 are committed to the bucket but no state covers them.
    SyncInput cut = new SyncInput()
        .record(USERS, EMITTED_AT, user(1, "a", 1))
        .record(USERS, EMITTED_AT, user(2, "b", 1))
        .state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", 2))
        .record(USERS, EMITTED_AT, user(3, "c", 1))
        .record(USERS, EMITTED_AT, user(4, "d", 1));
    ConnectorRun first = write(config, catalog(1, 1, false), cut);
    assertThat(first.exitCode()).isEqualTo(1);
    assertThat(rows(config)).extracting(row -> row.get("id")).containsExactly(1L, 2L, 3L, 4L);

    SyncInput resent = new SyncInput()
        .record(USERS, EMITTED_AT, user(3, "c", 1))
        .record(USERS, EMITTED_AT, user(4, "d", 1))
        .complete(USERS);
    sync(config, catalog(1, 1, false), resent);

    assertThat(rows(config)).extracting(row -> row.get("id")).containsExactly(1L, 2L, 3L, 4L);
  }
}
