package io.destkit.duckdb;

import static io.destkit.testkit.e2e.DatabaseReader.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import io.destkit.testkit.e2e.ProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged connector run with a config as Airbyte's UI saves one for its DuckDB destination. */
class DuckDbAirbyteUiConfigIT extends ProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Test
  void checkAndWriteWorkWithEveryAirbyteFieldPresent() {
    ObjectNode json = configJson(MAIN).put("motherduck_api_key", "Md-token-7c1e");
    Path config = writeConfig(json);

    Result check = run("--check", "--config", config.toString()).assertSucceeded();
    assertThat(check.ofType("CONNECTION_STATUS")).singleElement().satisfies(message ->
        assertThat(message.path("connectionStatus").path("status").asText()).isEqualTo("SUCCEEDED"));

    Path messages = fixture("users_messages.jsonl");
    Result write = writeWithConfig(config, fixture("users_catalog.json"), messages).assertSucceeded();
    write.assertStatesEchoedFrom(messages);

    assertThat(db().query("SELECT id, name FROM main.users ORDER BY id"))
        .containsExactly(row("id", 1L, "name", "Ann"), row("id", 2L, "name", "Bob"));
    assertThat(check.messages().toString() + check.stderr() + write.messages() + write.stderr())
        .doesNotContain("Md-token-7c1e");
  }
}
