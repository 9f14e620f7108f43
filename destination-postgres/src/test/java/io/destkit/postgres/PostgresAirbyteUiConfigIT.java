package io.destkit.postgres;

import static io.destkit.testkit.e2e.DatabaseReader.decimal;
import static io.destkit.testkit.e2e.DatabaseReader.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ConnectorProcess;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import io.destkit.testkit.e2e.ProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged connector run with a config as Airbyte's UI saves one for its Postgres destination:
 * every field present with its default, {@code tunnel_method} NO_TUNNEL, a nested {@code ssl_mode};
 * and the same through an SSH tunnel, with a key and with a password.
 */
class PostgresAirbyteUiConfigIT extends ProcessSuite<PostgresConfig> {
  private static final String NUMBERS_CATALOG = """
      {"streams": [{"stream": {"name": "amounts", "json_schema": {"type": "object", "properties": {
         "id": {"type": "integer"}, "amount": {"type": "number"}}}, "supported_sync_modes": ["full_refresh"]},
       "sync_mode": "full_refresh", "destination_sync_mode": "append", "generation_id": 1,
       "minimum_generation_id": 0, "sync_id": 7}]}
      """;
  private static final String NUMBERS_MESSAGES = """
      {"type": "RECORD", "record": {"stream": "amounts", "emitted_at": 1700000000000, "data": {"id": 1, "amount": 123456789012345678901234567890.123456789012345678}}}
      {"type": "RECORD", "record": {"stream": "amounts", "emitted_at": 1700000000000, "data": {"id": 2, "amount": -0.000000000000000000001}}}
      {"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "amounts"}, "stream_state": {"cursor": 2}}}}
      {"type": "TRACE", "trace": {"type": "STREAM_STATUS", "emitted_at": 1700000001000, "stream_status": {"stream_descriptor": {"name": "amounts"}, "status": "COMPLETE"}}}
      """;

  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  /** The test's database and credentials, with every other field as Airbyte's UI saves it. */
  private ObjectNode airbyteUiConfig(boolean unconstrainedNumber) {
    ObjectNode config = configJson(MAIN);
    config.put("ssl", false);
    config.putObject("ssl_mode").put("mode", "prefer");
    config.put("jdbc_url_params", "");
    config.put("raw_data_schema", "airbyte_internal");
    config.put("cdc_deletion_mode", "Hard delete");
    config.put("disable_type_dedupe", false);
    config.put("drop_cascade", false);
    config.put("unconstrained_number", unconstrainedNumber);
    config.putObject("tunnel_method").put("tunnel_method", "NO_TUNNEL");
    return config;
  }

  @ParameterizedTest(name = "unconstrained_number {0}")
  @ValueSource(booleans = {false, true})
  void checkAndWriteWorkAndNumbersOfAnyPrecisionFitEitherWay(boolean unconstrainedNumber) throws Exception {
    Path config = writeConfig(airbyteUiConfig(unconstrainedNumber));

    Result check = run("--check", "--config", config.toString()).assertSucceeded();
    assertThat(check.ofType("CONNECTION_STATUS")).singleElement().satisfies(message ->
        assertThat(message.path("connectionStatus").path("status").asText()).isEqualTo("SUCCEEDED"));

    Path catalog = Files.writeString(workDir().resolve("catalog.json"), NUMBERS_CATALOG);
    Path messages = Files.writeString(workDir().resolve("messages.jsonl"), NUMBERS_MESSAGES);
    writeWithConfig(config, catalog, messages).assertSucceeded().assertStatesEchoedFrom(messages);

    assertThat(db().columns(MAIN, "amounts")).containsEntry("amount", "numeric");
    assertThat(db().query("SELECT id, amount FROM main.amounts ORDER BY id")).containsExactly(
        row("id", 1L, "amount", decimal("123456789012345678901234567890.123456789012345678")),
        row("id", 2L, "amount", decimal("-0.000000000000000000001")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"SSH_KEY_AUTH", "SSH_PASSWORD_AUTH"})
  void checkAndWriteWorkThroughAnSshTunnel(String method) throws Exception {
    try (SshBastion bastion = SshBastion.start()) {
      ObjectNode json = airbyteUiConfig(false);
      // As Airbyte's UI saves each option: its own fields only, the port at its default unless changed.
      json.set("tunnel_method", method.equals("SSH_KEY_AUTH")
          ? bastion.keyAuth()
          : bastion.passwordAuth(SshBastion.PASSWORD));
      Path config = writeConfig(json);

      Result check = run("--check", "--config", config.toString()).assertSucceeded();
      assertThat(check.ofType("CONNECTION_STATUS")).singleElement().satisfies(message ->
          assertThat(message.path("connectionStatus").path("status").asText()).isEqualTo("SUCCEEDED"));

      Path catalog = Files.writeString(workDir().resolve("catalog.json"), NUMBERS_CATALOG);
      Path messages = Files.writeString(workDir().resolve("messages.jsonl"), NUMBERS_MESSAGES);
      writeWithConfig(config, catalog, messages).assertSucceeded().assertStatesEchoedFrom(messages);

      assertThat(bastion.forwards()).isNotEmpty();
      assertThat(db().query("SELECT id FROM main.amounts ORDER BY id")).containsExactly(row("id", 1L), row("id", 2L));
      String output = check.messages().toString() + check.stderr();
      assertThat(output).doesNotContain(SshBastion.PASSWORD, bastion.privateKey().split("\n")[1]);
    }
  }
}
