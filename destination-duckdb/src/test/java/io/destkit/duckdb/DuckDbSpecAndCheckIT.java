package io.destkit.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.testkit.TestDatabase;
import io.destkit.testkit.e2e.DatabaseReader;
import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.e2e.SpecAndCheckProcessSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The suite, and the check of destination_path: a file DuckDB creates, with its folders. */
class DuckDbSpecAndCheckIT extends SpecAndCheckProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  private Path pathConfig(Path db) {
    return writeConfig(DuckDbTarget.pathConfig(db).put("schema", "staging"));
  }

  @Test
  void checkOfAWritablePathSucceedsCreatesTheFileAndLeavesNoProbeTableBehind() throws Exception {
    Path db = workDir().resolve("new/folder/dest.duckdb");

    JsonNode status = check(pathConfig(db));

    assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
    assertThat(db).isRegularFile();
    try (TestDatabase database = target().openDatabase(destination().bindConfig(DuckDbTarget.pathConfig(db)))) {
      assertThat(new DatabaseReader(database).tables()).isEmpty();
    }
  }

  @Test
  void checkOfADestinationPathUnderARegularFileFailsNamingThePath() throws IOException {
    Path file = Files.writeString(workDir().resolve("not-a-folder"), "I am a file");

    JsonNode status = check(pathConfig(file.resolve("dest.duckdb")));

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains(file.toString());
  }

  @Test
  void checkOfADestinationPathThatIsAFolderFailsSayingSo() throws IOException {
    Path folder = Files.createDirectories(workDir().resolve("a-folder"));

    JsonNode status = check(pathConfig(folder));

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains(folder.toString()).contains("folder");
  }
}
