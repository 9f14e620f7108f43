package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.e2e.ConnectorProcess;
import java.nio.file.Files;
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
  private static final StreamDescriptor USERS = new StreamDescriptor("shop", "Users");

  @TempDir Path tempDir;

  @Test
  void theJarPrintsTheSpecChecksAndWrites() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    Path config = Files.writeString(tempDir.resolve("config.json"), MessageCodec.encode(fixture.config()));
    Path catalog = Files.writeString(tempDir.resolve("catalog.json"),
        MessageCodec.encode(IcebergAppendTest.catalog(1, 1, 0)));
    Path input = Files.writeString(tempDir.resolve("input.jsonl"), new SyncInput()
        .record(USERS, 1_700_000_000_000L, IcebergAppendTest.user(1, "Ada"))
        .record(USERS, 1_700_000_000_000L, IcebergAppendTest.user(2, "Grace"))
        .state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", 2))
        .complete(USERS).text());

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
