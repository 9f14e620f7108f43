package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ConnectorProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar checks and writes an S3 warehouse (S3Proxy in the test JVM) as a separate
 * process: the AWS SDK and Iceberg's S3FileIO are whole in it, and the keys are never printed.
 */
class IcebergS3JarIT {
  @TempDir Path tempDir;

  @Test
  void theJarChecksAndWritesAnS3Warehouse() throws Exception {
    String bucket = S3Server.createBucket();
    ObjectNode json = S3Server.config(new IcebergFixture(tempDir), bucket);
    ShopUsers.JarFiles files = new ShopUsers(tempDir).jarFiles(json);
    Path config = files.config();
    Path catalog = files.catalog();
    Path input = files.input();

    ConnectorProcess.Result check = ConnectorProcess.run(tempDir, "--check", "--config", config.toString())
        .assertSucceeded();
    List<ObjectNode> status = check.ofType("CONNECTION_STATUS");
    assertThat(status.get(0).path("connectionStatus").path("status").asText()).as("%s", status).isEqualTo("SUCCEEDED");
    ConnectorProcess.Result write = ConnectorProcess.run(tempDir, input,
        "--write", "--config", config.toString(), "--catalog", catalog.toString()).assertSucceeded();

    assertThat(write.recordCounts()).containsExactly(2.0);
    assertThat(S3Server.keys(bucket)).anyMatch(key -> key.startsWith("warehouse/shop/users/data/"));
    for (ConnectorProcess.Result run : List.of(check, write)) {
      assertThat(run.messages().toString() + run.stderr()).doesNotContain(S3Server.SECRET_ACCESS_KEY)
          .doesNotContain(S3Server.ACCESS_KEY_ID);
    }
  }
}
