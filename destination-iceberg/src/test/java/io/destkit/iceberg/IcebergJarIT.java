package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ConnectorProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run as the platform runs it ({@code java -jar}, messages on stdin and stdout):
 * its dependencies (Iceberg, Parquet, the few Hadoop classes, pgjdbc) are all in it.
 */
class IcebergJarIT {
  @TempDir Path tempDir;

  @Test
  void theJarPrintsTheSpecChecksAndWrites() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ShopUsers.JarFiles files = new ShopUsers(tempDir).jarFiles(fixture.config());
    Path config = files.config();
    Path catalog = files.catalog();
    Path input = files.input();

    assertThat(ConnectorProcess.run(tempDir, "--spec").assertSucceeded().ofType("SPEC")).hasSize(1);
    List<ObjectNode> status = ConnectorProcess.run(tempDir, "--check", "--config", config.toString())
        .assertSucceeded().ofType("CONNECTION_STATUS");
    assertThat(status.get(0).path("connectionStatus").path("status").asText()).as("%s", status).isEqualTo("SUCCEEDED");
    ConnectorProcess.Result write = ConnectorProcess.run(tempDir, input,
        "--write", "--config", config.toString(), "--catalog", catalog.toString()).assertSucceeded();

    assertThat(write.recordCounts()).containsExactly(2.0);
    assertThat(fixture.rows("shop", "users")).extracting(row -> row.get("name")).containsExactlyInAnyOrder("Ada", "Grace");
    assertThat(write.stderr()).doesNotContain(IcebergFixture.WRITER_PASSWORD);
    assertThat(fixture.rows("shop", "users")).allSatisfy((Map<String, Object> row) ->
        assertThat(row.get("_airbyte_generation_id")).isEqualTo(1L));
  }
}
