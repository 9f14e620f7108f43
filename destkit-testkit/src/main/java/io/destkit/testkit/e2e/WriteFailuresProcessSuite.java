package io.destkit.testkit.e2e;

import static io.destkit.testkit.e2e.ConnectorProcess.readJson;
import static io.destkit.testkit.e2e.ConnectorProcess.readLines;
import static io.destkit.testkit.e2e.DatabaseReader.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failed syncs: each ends with one TRACE ERROR and exit code 1, keeping what was committed before. */
public abstract class WriteFailuresProcessSuite<C> extends ProcessSuite<C> {

  @Test
  void malformedJsonOnLine3FailsNamingTheLineAfterCommittingTheRecordAndStateBeforeIt() {
    Path messages = fixture("malformed_line3.jsonl");
    Result result = write(fixture("users_catalog.json"), messages);

    String message = result.assertFailedWith("system_error");
    assertThat(message).containsIgnoringCase("line 3");
    result.assertStatesEchoed(List.of((ObjectNode) readJson(readLines(messages).get(1))));
    assertThat(result.recordCounts()).containsExactly(1.0);
    assertThat(db().query("SELECT id, name FROM main.users")).containsExactly(row("id", 1L, "name", "Ann"));
  }

  @Test
  void aRecordForAStreamNotInTheCatalogFailsNamingTheStream() {
    Result result = write(fixture("users_catalog.json"), fixture("unknown_stream.jsonl"));

    String message = result.assertFailedWith("system_error");
    assertThat(message).contains("ghosts").containsIgnoringCase("line 3");
    assertThat(result.recordCounts()).containsExactly(1.0);
    assertThat(db().query("SELECT id, name FROM main.users")).containsExactly(row("id", 1L, "name", "Ann"));
  }

  @Test
  void aConfigWithoutARequiredFieldIsAConfigErrorNamingTheField() {
    String field = requiredFields().get(0);
    ObjectNode config = configJson(MAIN);
    config.remove(field);

    Result result = writeWithConfig(writeConfig(config), fixture("users_catalog.json"), fixture("users_messages.jsonl"));

    assertThat(result.assertFailedWith("config_error")).contains(field);
    assertThat(result.states()).isEmpty();
  }

  @Test
  void aRefreshKeepingSomeOlderGenerationsIsAConfigErrorNamingTheStream() {
    Result result = write(fixture("hybrid_refresh_catalog.json"), fixture("users_messages.jsonl"));

    assertThat(result.assertFailedWith("config_error")).contains("billing.accounts").contains("minimum_generation_id");
    assertThat(result.states()).isEmpty();
  }

  @Test
  void aCatalogFileThatDoesNotExistIsAConfigErrorNamingTheFile() {
    Path missing = workDir().resolve("no-such-catalog.json");

    Result result = write(missing, fixture("users_messages.jsonl"));

    assertThat(result.assertFailedWith("config_error")).contains(missing.toString());
  }

  @Test
  void aStdoutWhoseReaderHasGoneEndsTheSyncWithAnErrorThatSaysSoAndFinalisesNothing() {
    Result result = ConnectorProcess.runWithStdoutClosed(workDir(), fixture("users_messages.jsonl"),
        "--write", "--config", config(MAIN).toString(), "--catalog", fixture("users_catalog.json").toString());

    assertThat(result.exitCode()).isEqualTo(1);
    // The first message written (a LOG of the tables' preparation, or a STATE) is the one that fails.
    assertThat(result.stderr()).containsPattern("Cannot write a (LOG|STATE) message to stdout")
        .contains("the reader of the destination's output has gone")
        .doesNotContain("records of stream");
  }
}
