package io.destkit.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A oneOf whose options share a discriminator reports only the problems of the option the config names. */
class SpecificationOneOfTest {
  private static final Specification SPEC = Specification.fromResource(SpecificationOneOfTest.class, "/config/spec.json");

  private static JsonNode config(String credentials) throws IOException {
    return MessageCodec.MAPPER.readTree("{\"host\":\"db\",\"port\":5432,\"credentials\":" + credentials + "}");
  }

  @Test
  void theChosenOptionsMissingFieldIsTheOnlyProblem() throws Exception {
    assertThat(SPEC.problems(config("{\"method\":\"key\"}")))
        .containsExactly("missing required field 'credentials.private_key'");
  }

  @Test
  void anUnknownDiscriminatorValueListsTheValidOnes() throws Exception {
    assertThat(SPEC.problems(config("{\"method\":\"token\"}")))
        .containsExactly("field 'credentials.method' must be one of password, key");
  }

  @Test
  void aMissingDiscriminatorIsAMissingField() throws Exception {
    assertThat(SPEC.problems(config("{\"password\":\"p\"}")))
        .containsExactly("missing required field 'credentials.method'");
  }

  @Test
  void aWrongTypeInsideTheChosenOptionIsReportedByItsPath() throws Exception {
    assertThat(SPEC.problems(config("{\"method\":\"password\",\"password\":7}")))
        .singleElement().asString().startsWith("field 'credentials.password'").contains("string").doesNotContain("7");
  }
}
