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
  void onlyThePasswordIsMarkedSecret() {
    JsonNode properties = new IcebergDestination().specification().schema()
        .path("properties").path("catalog_type").path("oneOf").get(0).path("properties");
    assertThat(properties.path("password").path("airbyte_secret").asBoolean()).isTrue();
    properties.properties().forEach(field -> {
      if (!field.getKey().equals("password")) {
        assertThat(field.getValue().path("airbyte_secret").asBoolean(false)).as(field.getKey()).isFalse();
      }
    });
  }

  @Test
  void theFixtureConfigPassesTheSpecAndBindsWithItsDefaults() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    com.fasterxml.jackson.databind.node.ObjectNode config = fixture.config();
    assertThat(new IcebergDestination().specification().problems(config)).isEmpty();
    ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("catalog_type")).remove(java.util.List.of("namespace", "catalog_name"));
    IcebergConfig bound = IcebergConfig.from(config);
    assertThat(bound.namespace()).isEqualTo("public");
    assertThat(bound.catalog().catalogName()).isEqualTo("destkit");
    assertThat(bound.warehouse()).isEqualTo(fixture.warehouse);
    assertThat(bound.catalog().toString()).doesNotContain(IcebergFixture.WRITER_PASSWORD);
    assertThat(bound.hardDelete()).isTrue();
    assertThat(IcebergConfig.from(config.put("cdc_deletion_mode", "Soft delete")).hardDelete()).isFalse();
  }

  @Test
  void aWarehouseGivenAsAPathOrAFileUriIsTheSameDirectory() {
    assertThat(IcebergConfig.warehouse("/data/wh")).isEqualTo(Path.of("/data/wh"));
    assertThat(IcebergConfig.warehouse("file:///data/wh")).isEqualTo(Path.of("/data/wh"));
  }

  @Test
  void aRemoteOrRelativeWarehouseIsAConfigErrorNamingTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergConfig.warehouse("s3://bucket/wh"))
        .isInstanceOf(io.destkit.core.ConfigErrorException.class).hasMessageContaining("warehouse_location");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergConfig.warehouse("relative/wh"))
        .isInstanceOf(io.destkit.core.ConfigErrorException.class).hasMessageContaining("warehouse_location");
  }
}
