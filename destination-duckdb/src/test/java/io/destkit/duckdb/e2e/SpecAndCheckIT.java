package io.destkit.duckdb.e2e;

import static io.destkit.duckdb.e2e.ConnectorProcess.JSON;
import static io.destkit.duckdb.e2e.ConnectorProcess.config;
import static io.destkit.duckdb.e2e.ConnectorProcess.run;
import static io.destkit.duckdb.e2e.ConnectorProcess.tables;
import static io.destkit.duckdb.e2e.ConnectorProcess.writeJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.duckdb.e2e.ConnectorProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --spec} and {@code --check}, through the packaged process. */
class SpecAndCheckIT {
  @TempDir Path dir;

  /** Runs {@code --check}; a check reports its outcome in one CONNECTION_STATUS and exits 0 either way. */
  private JsonNode check(Path config) {
    Result result = run(dir, "--check", "--config", config.toString()).assertSucceeded();
    assertThat(result.messages()).hasSize(1);
    assertThat(result.messages().get(0).path("type").asText()).isEqualTo("CONNECTION_STATUS");
    return result.messages().get(0).path("connectionStatus");
  }

  @Test
  void specPrintsOneSpecMessageWithTheConfigSchemaAndTheSupportedSyncModes() {
    Result result = run(dir, "--spec").assertSucceeded();

    assertThat(result.messages()).hasSize(1);
    JsonNode message = result.messages().get(0);
    assertThat(message.path("type").asText()).isEqualTo("SPEC");
    JsonNode spec = message.path("spec");
    assertThat(spec.path("supportsIncremental").asBoolean()).isTrue();
    assertThat(spec.path("supported_destination_sync_modes")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("append", "overwrite", "append_dedup");
    JsonNode schema = spec.path("connectionSpecification");
    assertThat(schema.path("type").asText()).isEqualTo("object");
    assertThat(schema.path("required")).extracting(JsonNode::asText).containsExactly("destination_path");
    assertThat(schema.path("properties").path("destination_path").path("type").asText()).isEqualTo("string");
    assertThat(schema.path("properties").path("schema").path("default").asText()).isEqualTo("main");
  }

  @Test
  void theBareSpecCommandWordOfThePlatformWorksLikeTheOption() {
    Result option = run(dir, "--spec").assertSucceeded();
    Result word = run(dir, "spec").assertSucceeded();

    assertThat(word.messages()).isEqualTo(option.messages());
  }

  @Test
  void checkOfAWritablePathSucceedsCreatesTheFileAndLeavesNoProbeTableBehind() {
    Path db = dir.resolve("new/folder/dest.duckdb");

    JsonNode status = check(config(dir, db, "staging"));

    assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
    assertThat(db).isRegularFile();
    assertThat(tables(db)).isEmpty();
  }

  @Test
  void checkOfAConfigWithoutDestinationPathFailsNamingTheField() {
    Path config = writeJson(dir.resolve("config.json"), JSON.createObjectNode().put("schema", "main"));

    JsonNode status = check(config);

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains("destination_path");
  }

  @Test
  void checkOfADestinationPathUnderARegularFileFailsNamingThePath() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "I am a file");

    JsonNode status = check(config(dir, file.resolve("dest.duckdb"), "main"));

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains(file.toString());
  }

  @Test
  void checkOfADestinationPathThatIsAFolderFailsSayingSo() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("a-folder"));

    JsonNode status = check(config(dir, folder, "main"));

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains(folder.toString()).contains("folder");
  }
}
