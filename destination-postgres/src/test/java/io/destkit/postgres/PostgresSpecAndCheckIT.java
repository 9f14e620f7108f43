package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.testkit.e2e.ConnectorProcess.Result;
import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.e2e.SpecAndCheckProcessSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The suite, and a failed check of the packaged process that keeps the password to itself. */
class PostgresSpecAndCheckIT extends SpecAndCheckProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  @Test
  void aCheckWithAWrongPasswordSaysSoWithoutPrintingThePassword() {
    Path config = writeConfig(configJson(MAIN).put("password", "Leaky-pass-0f5d"));

    Result result = run("--check", "--config", config.toString()).assertSucceeded();

    assertThat(result.messages()).singleElement().satisfies(message -> assertThat(
            message.path("connectionStatus").path("message").asText())
        .contains("Authentication of user '" + PostgresTarget.WRITER + "' failed"));
    assertThat(result.messages().toString() + result.stderr()).doesNotContain("Leaky-pass-0f5d");
  }
}
