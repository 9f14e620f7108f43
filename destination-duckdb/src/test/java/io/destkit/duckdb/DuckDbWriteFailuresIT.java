package io.destkit.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.testkit.e2e.ConnectorProcess.Result;
import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.e2e.WriteFailuresProcessSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The suite, and a destination_path DuckDB cannot create. */
class DuckDbWriteFailuresIT extends WriteFailuresProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Test
  void aDestinationPathUnderARegularFileIsAConfigError() throws IOException {
    Path file = Files.writeString(workDir().resolve("not-a-folder"), "I am a file");
    Path config = writeConfig(DuckDbTarget.pathConfig(file.resolve("dest.duckdb")).put("schema", MAIN));

    Result result = writeWithConfig(config, fixture("users_catalog.json"), fixture("users_messages.jsonl"));

    assertThat(result.assertFailedWith("config_error")).contains(file.toString());
    assertThat(result.states()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo("I am a file");
  }
}
