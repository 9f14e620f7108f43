package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --spec} and {@code --check}, through the packaged process. */
public abstract class SpecAndCheckProcessSuite<C> extends ProcessSuite<C> {

  /** Runs {@code --check}; a check reports its outcome in one CONNECTION_STATUS and exits 0 either way. */
  protected JsonNode check(Path config) {
    Result result = run("--check", "--config", config.toString()).assertSucceeded();
    assertThat(result.messages()).as("stderr:\n" + result.stderr()).hasSize(1);
    assertThat(result.messages().get(0).path("type").asText()).isEqualTo("CONNECTION_STATUS");
    return result.messages().get(0).path("connectionStatus");
  }

  @Test
  void specPrintsOneSpecMessageWithTheConfigSchemaAndTheSupportedSyncModes() {
    Result result = run("--spec").assertSucceeded();

    assertThat(result.messages()).hasSize(1);
    JsonNode message = result.messages().get(0);
    assertThat(message.path("type").asText()).isEqualTo("SPEC");
    JsonNode spec = message.path("spec");
    assertThat(spec.path("supportsIncremental").asBoolean()).isTrue();
    assertThat(spec.path("supported_destination_sync_modes")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("append", "overwrite", "append_dedup");
    assertThat(spec.path("connectionSpecification").path("type").asText()).isEqualTo("object");
    // The rest (required fields, types, defaults) is the destination's own: its snapshot.
    assertThat(message).isEqualTo(expectedSpec());
  }

  @Test
  void theBareSpecCommandWordOfThePlatformWorksLikeTheOption() {
    Result option = run("--spec").assertSucceeded();
    Result word = run("spec").assertSucceeded();

    assertThat(word.messages()).isEqualTo(option.messages());
  }

  @Test
  void checkOfAValidConfigSucceedsAndLeavesNoProbeTableBehind() {
    JsonNode status = check(config("staging"));

    assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
    assertThat(db().tables()).isEmpty();
  }

  @Test
  void checkOfAConfigWithoutARequiredFieldFailsNamingTheField() {
    for (String field : requiredFields()) {
      ObjectNode config = configJson(MAIN);
      config.remove(field);

      JsonNode status = check(writeConfig(config));

      assertThat(status.path("status").asText()).as("without %s", field).isEqualTo("FAILED");
      assertThat(status.path("message").asText()).contains(field);
    }
  }
}
