package io.destkit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecificationTest {
  private static final Specification SPEC = Specification.fromResource(SpecificationTest.class, "/config/spec.json");
  private static final String VALID =
      "{\"host\":\"db\",\"port\":5432,\"credentials\":{\"method\":\"password\",\"password\":\"hunter2\"}}";

  private static ObjectNode config(String json) {
    try {
      return (ObjectNode) MessageCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The valid config with one top-level field replaced (or removed when {@code value} is null). */
  private static ObjectNode validWith(String field, String value) {
    ObjectNode config = config(VALID);
    if (value == null) {
      config.remove(field);
    } else {
      try {
        config.set(field, MessageCodec.MAPPER.readTree(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return config;
  }

  @Test
  void theSchemaIsLoadedFromTheDestinationsResources() {
    assertThat(SPEC.schema().path("properties").has("host")).isTrue();
  }

  @Test
  void aValidConfigHasNoProblems() {
    assertThat(SPEC.problems(config(VALID))).isEmpty();
    SPEC.validate(config(VALID));
  }

  @Test
  void optionalFieldsMayBeLeftOut() {
    assertThat(SPEC.problems(config(VALID))).isEmpty();
    assertThat(SPEC.problems(validWith("ssl", "true"))).isEmpty();
  }

  @Test
  void aMissingRequiredFieldIsReportedByName() {
    assertThat(SPEC.problems(validWith("host", null))).containsExactly("missing required field 'host'");
  }

  @Test
  void aMissingRequiredFieldOfANestedObjectIsReportedByItsPath() {
    List<String> problems = SPEC.problems(validWith("tunnel", "{\"tunnel_user_password\":\"x\"}"));

    assertThat(problems).containsExactly("missing required field 'tunnel.tunnel_host'");
  }

  @Test
  void aValueOfTheWrongTypeIsReportedByNameWithTheExpectedType() {
    List<String> problems = SPEC.problems(validWith("port", "\"5432a\""));

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("field 'port'").contains("integer").doesNotContain("$.");
  }

  @Test
  void aWrongTypeInsideANestedObjectIsReportedByItsPath() {
    List<String> problems = SPEC.problems(validWith("tunnel", "{\"tunnel_host\":42}"));

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("field 'tunnel.tunnel_host'").contains("string");
  }

  @Test
  void aValueOutOfRangeIsReportedByName() {
    List<String> problems = SPEC.problems(validWith("port", "70000"));

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("field 'port'");
  }

  @Test
  void everyProblemIsListedSortedAndTheValidationErrorNamesThemAll() {
    ObjectNode config = config("{\"port\":\"x\",\"ssl\":\"yes\",\"credentials\":{\"method\":\"password\",\"password\":\"p\"}}");

    List<String> problems = SPEC.problems(config);

    assertThat(problems).hasSize(3).isSorted();
    assertThat(problems).anySatisfy(p -> assertThat(p).isEqualTo("missing required field 'host'"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("field 'port'"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("field 'ssl'"));
    assertThatThrownBy(() -> SPEC.validate(config))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageStartingWith("Invalid config: ")
        .hasMessageContaining("'host'")
        .hasMessageContaining("'port'")
        .hasMessageContaining("'ssl'");
  }

  @Test
  void aSecretOfTheWrongTypeIsReportedWithoutItsValue() {
    List<String> problems = SPEC.problems(validWith("api_key", "987654321"));

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("field 'api_key'").doesNotContain("987654321");
  }

  @Test
  void aConfigThatIsNotAnObjectIsOneProblem() throws IOException {
    assertThat(SPEC.problems(MessageCodec.MAPPER.readTree("[1]"))).containsExactly("the config must be a JSON object");
    assertThat(SPEC.problems(null)).containsExactly("the config must be a JSON object");
  }

  @Test
  void anUnknownFieldIsReportedByNameWhenTheSchemaForbidsIt() {
    Specification strict =
        new Specification(
            config("{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"path\":{\"type\":\"string\"}}}"));

    assertThat(strict.problems(config("{\"path\":\"/tmp/x\",\"pth\":1}"))).containsExactly("unknown field 'pth'");
  }

  @Test
  void aConfigMatchingNoneOfTheOneOfOptionsIsReportedUnderItsField() {
    JsonNode config = validWith("credentials", "{\"method\":\"token\"}");

    List<String> problems = SPEC.problems(config);

    assertThat(problems).isNotEmpty();
    assertThat(problems).allSatisfy(p -> assertThat(p).contains("credentials"));
  }
}
