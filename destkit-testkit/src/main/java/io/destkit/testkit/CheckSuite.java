package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageType;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code --check}: SUCCEEDED for a valid config; for each config the user got wrong, FAILED with a
 * message that names the problem. Either way one CONNECTION_STATUS and exit code 0, and no value of
 * a secret field (one the spec marks {@code airbyte_secret}, such as a password) on stdout or stderr.
 */
public abstract class CheckSuite<C> extends DestinationSuite<C> {

  /**
   * A config the check must refuse.
   *
   * @param problem what is wrong, completing "check fails when ..."
   * @param messageFragments texts the FAILED message must contain: what is wrong, and what to do
   */
  public record FailingConfig(String problem, JsonNode config, List<String> messageFragments) {
    public FailingConfig {
      messageFragments = List.copyOf(messageFragments);
    }

    public FailingConfig(String problem, JsonNode config, String... messageFragments) {
      this(problem, config, List.of(messageFragments));
    }
  }

  /** The configs the check must refuse; may create files in {@code directory} (an unwritable path, ...). */
  protected abstract List<FailingConfig> failingConfigs(Path directory) throws Exception;

  private JsonNode connectionStatus(JsonNode config) {
    ConnectorRun run = ConnectorRun.check(destination(), config, tempDir);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    assertNoSecretIsPrinted(run, config);
    return run.single(MessageType.CONNECTION_STATUS).json().get("connectionStatus");
  }

  private void assertNoSecretIsPrinted(ConnectorRun run, JsonNode config) {
    List<String> secrets = SecretValues.of(destination().specification().schema(), config);
    String stdout = run.messages().stream().map(message -> message.json().toString()).collect(Collectors.joining("\n"));
    for (String secret : secrets) {
      assertThat(stdout).as("stdout of the check").doesNotContain(secret);
      assertThat(run.stderr()).as("stderr of the check").doesNotContain(secret);
    }
  }

  @Test
  void checkSucceedsWithAValidConfig() {
    JsonNode status = connectionStatus(validConfig(tempDir));
    assertThat(status.path("status").asText()).as("connection status %s", status).isEqualTo("SUCCEEDED");
  }

  @TestFactory
  Stream<DynamicTest> checkFailsWithAMessageNamingTheProblem() throws Exception {
    List<FailingConfig> failures = failingConfigs(tempDir);
    assertThat(failures).as("failing configs of the destination").isNotEmpty();
    return failures.stream()
        .map(failure -> DynamicTest.dynamicTest("check fails when " + failure.problem(), () -> {
          JsonNode status = connectionStatus(failure.config());
          assertThat(status.path("status").asText()).as("connection status %s", status).isEqualTo("FAILED");
          assertThat(status.path("message").asText()).contains(failure.messageFragments());
        }));
  }
}
