package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.SecretValues;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * No value of a secret field (one the spec marks {@code airbyte_secret}, in a oneOf option too)
 * appears on stdout or stderr of the packaged process, whatever fails: a config file that is not
 * JSON, a field of the wrong type, a connection that fails, a write that fails. Every secret field
 * of the spec gets a value of its own, a token that appears nowhere else.
 */
public abstract class SecretsProcessSuite<C> extends ProcessSuite<C> {

  /** A config whose secret fields hold tokens, and those tokens. */
  protected record SecretConfig(ObjectNode config, Map<String, String> tokens) {}

  /**
   * Configs of the test's own database with every secret field set: one per oneOf option that has
   * secret fields (the option's const fields set, so it is the one chosen), or one when there is no
   * such option. Empty when the spec has no secret field.
   */
  protected List<SecretConfig> secretConfigs() {
    JsonNode schema = destination().specification().schema();
    Map<String, String> topLevel = new LinkedHashMap<>();
    List<Map.Entry<String, JsonNode>> optionFields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().path("airbyte_secret").asBoolean(false)) {
        topLevel.put(field.getKey(), token(field.getKey()));
      }
      if (field.getValue().has("oneOf")) {
        optionFields.add(field);
      }
    }
    List<SecretConfig> configs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : optionFields) {
      for (JsonNode option : field.getValue().path("oneOf")) {
        ObjectNode value = ConnectorProcess.JSON.createObjectNode();
        Map<String, String> tokens = new LinkedHashMap<>(topLevel);
        for (Iterator<Map.Entry<String, JsonNode>> it = option.path("properties").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> property = it.next();
          String path = field.getKey() + "." + property.getKey();
          if (property.getValue().has("const")) {
            value.set(property.getKey(), property.getValue().get("const"));
          } else if (property.getValue().path("airbyte_secret").asBoolean(false)) {
            tokens.put(path, token(path));
          }
        }
        if (tokens.size() > topLevel.size()) {
          ObjectNode config = withTokens(configJson(MAIN), topLevel);
          for (Map.Entry<String, String> token : tokens.entrySet()) {
            if (token.getKey().startsWith(field.getKey() + ".")) {
              value.put(token.getKey().substring(field.getKey().length() + 1),
                  target().secretValue(token.getKey(), token.getValue()));
            }
          }
          config.set(field.getKey(), value);
          configs.add(new SecretConfig(config, tokens));
        }
      }
    }
    if (configs.isEmpty() && !topLevel.isEmpty()) {
      configs.add(new SecretConfig(withTokens(configJson(MAIN), topLevel), topLevel));
    }
    return configs;
  }

  private ObjectNode withTokens(ObjectNode config, Map<String, String> tokens) {
    for (Map.Entry<String, String> token : tokens.entrySet()) {
      config.put(token.getKey(), target().secretValue(token.getKey(), token.getValue()));
    }
    return config;
  }

  /** A token no output holds by chance: letters and digits only, so it also stands unquoted in JSON. */
  private static String token(String path) {
    return "Zq7Sekr1t" + path.replaceAll("[^A-Za-z0-9]", "") + "W4x";
  }

  private static void assertNoneAppears(Result result, Iterable<String> tokens, String what) {
    String stdout = result.messages().toString();
    for (String token : tokens) {
      assertThat(stdout).as("stdout of %s", what).doesNotContain(token);
      assertThat(result.stderr()).as("stderr of %s", what).doesNotContain(token);
    }
  }

  private Result check(Path config) {
    return run("--check", "--config", config.toString());
  }

  private Result write(Path config) {
    return writeWithConfig(config, fixture("users_catalog.json"), fixture("users_messages.jsonl"));
  }

  private Path writeText(String name, String text) {
    try {
      return Files.writeString(workDir().resolve(name), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void noValueOfAConfigFileThatIsNotJsonAppearsInAnyOutput() {
    List<SecretConfig> configs = new ArrayList<>(secretConfigs());
    if (configs.isEmpty()) {
      // No secret field: any value of a file that does not parse must stay unprinted all the same.
      String field = requiredFields().get(0);
      String value = token(field);
      configs.add(new SecretConfig(configJson(MAIN).put(field, value), Map.of(field, value)));
    }
    Set<String> covered = new HashSet<>();
    for (SecretConfig secrets : configs) {
      String json = secrets.config().toPrettyString();
      int file = 0;
      for (Map.Entry<String, String> secret : secrets.tokens().entrySet()) {
        if (!covered.add(secret.getKey())) {
          continue; // a field of every option (the password) is tried once
        }
        String token = secret.getValue();
        String value = target().secretValue(secret.getKey(), token);
        // As a user who forgot the quotes around a password would write it.
        Path unquoted = writeText("unquoted-" + file++ + ".json", json.replace("\"" + value + "\"", value));

        Result check = check(unquoted).assertSucceeded();
        assertThat(check.messages()).singleElement().satisfies(message -> assertThat(
                message.path("connectionStatus").path("message").asText()).contains("is not valid JSON at line"));
        assertNoneAppears(check, secrets.tokens().values(), "a check of a config with " + token + " unquoted");
      }
      String allUnquoted = json;
      for (Map.Entry<String, String> secret : secrets.tokens().entrySet()) {
        String value = target().secretValue(secret.getKey(), secret.getValue());
        allUnquoted = allUnquoted.replace("\"" + value + "\"", value);
      }
      Result write = write(writeText("all-unquoted.json", allUnquoted));
      assertThat(write.assertFailedWith("config_error")).contains("is not valid JSON at line");
      assertNoneAppears(write, secrets.tokens().values(), "a write of a config with the secrets unquoted");
    }
  }

  @Test
  void noSecretOfAConfigWithAFieldOfTheWrongTypeAppearsInAnyOutput() {
    List<SecretConfig> configs = secretConfigs();
    assumeThat(configs).as("secret fields in the spec").isNotEmpty();
    Set<String> covered = new HashSet<>();
    for (SecretConfig secrets : configs) {
      // Another field wrong, the secrets as given...
      ObjectNode wrongField = secrets.config().deepCopy();
      wrongField.putArray(requiredFields().get(0)).add(1);
      for (Result result : List.of(check(writeConfig(wrongField)), write(writeConfig(wrongField)))) {
        assertNoneAppears(result, secrets.tokens().values(), "a config whose field " + requiredFields().get(0) + " is a list");
      }
      // ... and each secret field itself of the wrong type (an object holding the token).
      for (Map.Entry<String, String> secret : secrets.tokens().entrySet()) {
        if (!covered.add(secret.getKey())) {
          continue;
        }
        ObjectNode wrongSecret = secrets.config().deepCopy();
        String[] path = secret.getKey().split("\\.");
        ObjectNode parent = path.length == 1 ? wrongSecret : (ObjectNode) wrongSecret.path(path[0]);
        parent.putObject(path[path.length - 1]).put("value", secret.getValue());
        Result check = check(writeConfig(wrongSecret)).assertSucceeded();
        assertThat(check.messages().get(0).path("connectionStatus").path("status").asText()).isEqualTo("FAILED");
        assertNoneAppears(check, secrets.tokens().values(), "a config whose " + secret.getKey() + " is an object");
      }
    }
  }

  /**
   * Whether the secret fields are credentials the connection uses, so that the tokens put in them
   * make it fail; false for a destination whose secret fields are accepted but unused.
   */
  protected boolean secretsAreCredentials() {
    return true;
  }

  @Test
  void noSecretOfAConfigWhoseConnectionFailsAppearsInAnyOutput() {
    List<SecretConfig> configs = secretConfigs();
    assumeThat(configs).as("secret fields in the spec").isNotEmpty();
    for (SecretConfig secrets : configs) {
      ObjectNode unreachable = target().unreachable(secrets.config().deepCopy(), workDir());
      for (ObjectNode config : secretsAreCredentials() ? List.of(secrets.config(), unreachable) : List.of(unreachable)) {
        Path file = writeConfig(config);

        Result check = check(file).assertSucceeded();
        assertThat(check.messages()).last().satisfies(message -> assertThat(
            message.path("connectionStatus").path("status").asText()).isEqualTo("FAILED"));
        Result write = write(file);
        assertThat(write.exitCode()).as("exit code of a write that cannot connect").isEqualTo(1);

        assertNoneAppears(check, secrets.tokens().values(), "a failed check");
        assertNoneAppears(write, secrets.tokens().values(), "a failed write");
      }
    }
  }

  @Test
  void noSecretOfAValidConfigAppearsWhenTheWriteFailsAfterConnecting() {
    ObjectNode config = configJson(MAIN);
    List<String> secrets = SecretValues.of(destination().specification().schema(), config);
    assumeThat(secrets).as("secret values in the test's valid config").isNotEmpty();

    Result result = writeWithConfig(writeConfig(config), fixture("users_catalog.json"), fixture("malformed_line3.jsonl"));

    result.assertFailedWith("system_error");
    assertNoneAppears(result, secrets, "a write that failed on line 3");
  }
}
