package io.destkit.duckdb.e2e;

import static io.destkit.duckdb.e2e.ConnectorProcess.JSON;
import static io.destkit.duckdb.e2e.ConnectorProcess.fixture;
import static io.destkit.duckdb.e2e.ConnectorProcess.query;
import static io.destkit.duckdb.e2e.ConnectorProcess.readJson;
import static io.destkit.duckdb.e2e.ConnectorProcess.readLines;
import static io.destkit.duckdb.e2e.ConnectorProcess.row;
import static io.destkit.duckdb.e2e.ConnectorProcess.write;
import static io.destkit.duckdb.e2e.ConnectorProcess.writeJson;
import static io.destkit.duckdb.e2e.ConnectorProcess.writeWithConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.duckdb.e2e.ConnectorProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed syncs: each ends with one TRACE ERROR and exit code 1, keeping what was committed before. */
class WriteFailuresIT {
  @TempDir Path dir;

  private Path db() {
    return dir.resolve("dest.duckdb");
  }

  @Test
  void malformedJsonOnLine3FailsNamingTheLineAfterCommittingTheRecordAndStateBeforeIt() {
    Path messages = fixture("malformed_line3.jsonl");
    Result result = write(dir, db(), fixture("users_catalog.json"), messages);

    String message = result.assertFailedWith("system_error");
    assertThat(message).containsIgnoringCase("line 3");
    result.assertStatesEchoed(List.of((ObjectNode) readJson(readLines(messages).get(1))));
    assertThat(result.recordCounts()).containsExactly(1.0);
    assertThat(query(db(), "SELECT id, name FROM users")).containsExactly(row("id", 1L, "name", "Ann"));
  }

  @Test
  void aRecordForAStreamNotInTheCatalogFailsNamingTheStream() {
    Result result = write(dir, db(), fixture("users_catalog.json"), fixture("unknown_stream.jsonl"));

    String message = result.assertFailedWith("system_error");
    assertThat(message).contains("ghosts").containsIgnoringCase("line 3");
    assertThat(result.recordCounts()).containsExactly(1.0);
    assertThat(query(db(), "SELECT id, name FROM users")).containsExactly(row("id", 1L, "name", "Ann"));
  }

  @Test
  void aConfigWithoutDestinationPathIsAConfigErrorNamingTheField() {
    Path config = writeJson(dir.resolve("config.json"), JSON.createObjectNode().put("schema", "main"));

    Result result = writeWithConfig(dir, config, fixture("users_catalog.json"), fixture("users_messages.jsonl"));

    assertThat(result.assertFailedWith("config_error")).contains("destination_path");
    assertThat(result.states()).isEmpty();
  }

  @Test
  void aRefreshKeepingSomeOlderGenerationsIsAConfigErrorNamingTheStream() {
    Result result = write(dir, db(), fixture("hybrid_refresh_catalog.json"), fixture("users_messages.jsonl"));

    assertThat(result.assertFailedWith("config_error")).contains("billing.accounts").contains("minimum_generation_id");
    assertThat(result.states()).isEmpty();
  }

  @Test
  void aDestinationPathUnderARegularFileIsAConfigError() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "I am a file");

    Result result = write(dir, file.resolve("dest.duckdb"), fixture("users_catalog.json"), fixture("users_messages.jsonl"));

    assertThat(result.assertFailedWith("config_error")).contains(file.toString());
    assertThat(result.states()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo("I am a file");
  }

  @Test
  void aCatalogFileThatDoesNotExistIsAConfigErrorNamingTheFile() {
    Path missing = dir.resolve("no-such-catalog.json");

    Result result = write(dir, db(), missing, fixture("users_messages.jsonl"));

    assertThat(result.assertFailedWith("config_error")).contains(missing.toString());
  }
}
