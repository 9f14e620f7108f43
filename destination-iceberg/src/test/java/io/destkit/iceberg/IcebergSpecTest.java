package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.testkit.ConnectorRun;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --spec} prints the snapshot; the config fields bind as documented. */
class IcebergSpecTest {
  @TempDir Path tempDir;

  @Test
  void specEqualsTheSnapshot() throws Exception {
    ConnectorRun run = ConnectorRun.spec(new IcebergDestination());
    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isZero();
    JsonNode actual = run.single(MessageType.SPEC).json();
    JsonNode expected;
    try (InputStream in = getClass().getResourceAsStream("/expected-spec.json")) {
      expected = MessageCodec.MAPPER.readTree(in);
    }
    assertThat(actual)
        .as("SPEC message; if the change is intended, update expected-spec.json to:%n%s",
            MessageCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual))
        .isEqualTo(expected);
  }

  @Test
  void onlyThePasswordTheS3KeysAndTheRestCredentialsAreMarkedSecret() {
    JsonNode schema = new IcebergDestination().specification().schema();
    assertThat(secrets(schema.path("properties"))).containsExactlyInAnyOrder("access_key_id", "secret_access_key");
    assertThat(secrets(schema.path("properties").path("catalog_type").path("oneOf").get(0).path("properties")))
        .containsExactly("password");
    assertThat(secrets(schema.path("properties").path("catalog_type").path("oneOf").get(1).path("properties")))
        .containsExactlyInAnyOrder("credential", "token");
  }

  @Test
  void aRestCatalogBindsItsUriAndSecretsWithoutPrintingThem() {
    com.fasterxml.jackson.databind.node.ObjectNode config = MessageCodec.MAPPER.createObjectNode()
        .put("warehouse_location", "s3://lake/wh");
    config.putObject("catalog_type").put("catalog_type", "REST").put("server_uri", "http://localhost:8181/api/catalog")
        .put("credential", "client:Secret-31ab").put("token", "Token-8c2d").put("namespace", "raw");
    assertThat(new IcebergDestination().specification().problems(config)).isEmpty();
    IcebergConfig bound = IcebergConfig.from(config);
    IcebergConfig.RestCatalogConfig rest = (IcebergConfig.RestCatalogConfig) bound.catalog();
    assertThat(rest.serverUri()).isEqualTo("http://localhost:8181/api/catalog");
    assertThat(rest.credential()).contains("client:Secret-31ab");
    assertThat(rest.token()).contains("Token-8c2d");
    assertThat(bound.namespace()).isEqualTo("raw");
    assertThat(rest.toString()).doesNotContain("Secret-31ab").doesNotContain("Token-8c2d");
  }

  private static java.util.List<String> secrets(JsonNode properties) {
    java.util.List<String> secrets = new java.util.ArrayList<>();
    properties.properties().forEach(field -> {
      if (field.getValue().path("airbyte_secret").asBoolean(false)) {
        secrets.add(field.getKey());
      }
    });
    return secrets;
  }

  @Test
  void theFixtureConfigPassesTheSpecAndBindsWithItsDefaults() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    com.fasterxml.jackson.databind.node.ObjectNode config = fixture.config();
    assertThat(new IcebergDestination().specification().problems(config)).isEmpty();
    ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("catalog_type")).remove(java.util.List.of("namespace", "catalog_name"));
    IcebergConfig bound = IcebergConfig.from(config);
    assertThat(bound.namespace()).isEqualTo("public");
    assertThat(((IcebergConfig.JdbcCatalogConfig) bound.catalog()).catalogName()).isEqualTo("destkit");
    assertThat(bound.warehouse()).isEqualTo(new Warehouse.Local(fixture.warehouse));
    assertThat(bound.catalog().toString()).doesNotContain(IcebergFixture.WRITER_PASSWORD);
    assertThat(bound.hardDelete()).isTrue();
    assertThat(IcebergConfig.from(config.put("cdc_deletion_mode", "Soft delete")).hardDelete()).isFalse();
  }

  @Test
  void aWarehouseGivenAsAPathOrAFileUriIsTheSameDirectory() {
    assertThat(IcebergConfig.localDirectory("/data/wh")).isEqualTo(Path.of("/data/wh"));
    assertThat(IcebergConfig.localDirectory("file:///data/wh")).isEqualTo(Path.of("/data/wh"));
  }

  @Test
  void anotherSchemeOrARelativeWarehouseIsAConfigErrorNamingTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergConfig.localDirectory("gs://bucket/wh"))
        .isInstanceOf(io.destkit.core.ConfigErrorException.class).hasMessageContaining("warehouse_location");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergConfig.localDirectory("relative/wh"))
        .isInstanceOf(io.destkit.core.ConfigErrorException.class).hasMessageContaining("warehouse_location");
  }

  @Test
  void anS3WarehouseBindsItsBucketPrefixEndpointAndKeysWithoutPrintingThem() {
    com.fasterxml.jackson.databind.node.ObjectNode config = MessageCodec.MAPPER.createObjectNode()
        .put("s3_bucket_name", "lake").put("s3_bucket_region", "eu-west-1").put("s3_endpoint", "http://localhost:9000")
        .put("access_key_id", "Key-id-3e1a").put("secret_access_key", "Secret-9f0b");
    S3Warehouse s3 = (S3Warehouse) IcebergConfig.warehouse("s3://lake/iceberg/wh/", config);
    assertThat(s3.bucket()).isEqualTo("lake");
    assertThat(s3.location()).isEqualTo("s3://lake/iceberg/wh");
    assertThat(s3.region().id()).isEqualTo("eu-west-1");
    assertThat(s3.endpoint()).contains(java.net.URI.create("http://localhost:9000"));
    assertThat(s3.toString()).doesNotContain("Key-id-3e1a").doesNotContain("Secret-9f0b");
    assertThat(((S3Warehouse) IcebergConfig.warehouse("s3://lake", MessageCodec.MAPPER.createObjectNode()))
        .region().id()).isEqualTo("us-east-1");
  }

  @Test
  void anS3WarehouseInAnotherBucketThanS3BucketNameOrWithHalfTheKeysIsAConfigError() {
    com.fasterxml.jackson.databind.node.ObjectNode config = MessageCodec.MAPPER.createObjectNode()
        .put("s3_bucket_name", "other");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergConfig.warehouse("s3://lake/wh", config))
        .isInstanceOf(io.destkit.core.ConfigErrorException.class)
        .hasMessageContaining("'s3_bucket_name'").hasMessageContaining("'warehouse_location'");
    com.fasterxml.jackson.databind.node.ObjectNode halfKeys = MessageCodec.MAPPER.createObjectNode()
        .put("access_key_id", "Key-id-3e1a");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergConfig.warehouse("s3://lake/wh", halfKeys))
        .isInstanceOf(io.destkit.core.ConfigErrorException.class).hasMessageContaining("'secret_access_key'");
    com.fasterxml.jackson.databind.node.ObjectNode badEndpoint = MessageCodec.MAPPER.createObjectNode()
        .put("s3_endpoint", "localhost:9000");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergConfig.warehouse("s3://lake/wh", badEndpoint))
        .isInstanceOf(io.destkit.core.ConfigErrorException.class).hasMessageContaining("'s3_endpoint'");
  }
}
