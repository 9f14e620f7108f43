package io.destkit.core.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.config.Specification;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {
  private static final JsonNode SPEC =
      Specification.fromResource(SecretScrubberTest.class, "/config/spec.json").schema();

  private static JsonNode json(String text) {
    try {
      return MessageCodec.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aTopLevelSecretIsMaskedAndOtherValuesAreKept() {
    SecretScrubber scrubber = SecretScrubber.of(SPEC, json("{\"host\":\"db.example\",\"api_key\":\"sk-live-123\"}"));

    assertThat(scrubber.scrub("cannot reach db.example with key sk-live-123 (sk-live-123)"))
        .isEqualTo("cannot reach db.example with key **** (****)");
  }

  @Test
  void aSecretInsideTheChosenOneOfOptionIsMasked() {
    SecretScrubber scrubber =
        SecretScrubber.of(SPEC, json("{\"credentials\":{\"method\":\"password\",\"password\":\"hunter2\"}}"));

    assertThat(scrubber.scrub("password authentication failed: hunter2")).isEqualTo("password authentication failed: ****");
    assertThat(scrubber.scrub("method password")).isEqualTo("method password");
  }

  @Test
  void secretsNestedInAnObjectOfAOneOfOptionAreMasked() {
    SecretScrubber scrubber =
        SecretScrubber.of(
            SPEC,
            json("{\"credentials\":{\"method\":\"key\",\"private_key\":\"-----BEGIN KEY-----abc\","
                + "\"key_options\":{\"passphrase\":\"open sesame\"}}}"));

    assertThat(scrubber.scrub("key -----BEGIN KEY-----abc, passphrase open sesame"))
        .isEqualTo("key ****, passphrase ****");
  }

  @Test
  void aSecretInANestedObjectIsMasked() {
    SecretScrubber scrubber =
        SecretScrubber.of(SPEC, json("{\"tunnel\":{\"tunnel_host\":\"bastion\",\"tunnel_user_password\":\"t0psecret\"}}"));

    assertThat(scrubber.scrub("ssh bastion t0psecret")).isEqualTo("ssh bastion ****");
  }

  @Test
  void aSecretThatIsANumberIsMaskedToo() {
    SecretScrubber scrubber = SecretScrubber.of(SPEC, json("{\"pin\":987654}"));

    assertThat(scrubber.scrub("pin 987654 rejected")).isEqualTo("pin **** rejected");
  }

  @Test
  void aLongerSecretIsMaskedWholeEvenWhenAShorterOneIsPartOfIt() {
    SecretScrubber scrubber =
        SecretScrubber.of(
            SPEC, json("{\"api_key\":\"abc\",\"credentials\":{\"method\":\"password\",\"password\":\"abcdef\"}}"));

    assertThat(scrubber.scrub("abcdef and abc")).isEqualTo("**** and ****");
  }

  @Test
  void emptyAndNullSecretsMaskNothing() {
    SecretScrubber scrubber = SecretScrubber.of(SPEC, json("{\"api_key\":\"\",\"credentials\":null}"));

    assertThat(scrubber.scrub("nothing to hide")).isEqualTo("nothing to hide");
  }

  @Test
  void nullTextStaysNullAndNoneMasksNothing() {
    assertThat(SecretScrubber.of(SPEC, json("{\"api_key\":\"k\"}")).scrub(null)).isNull();
    assertThat(SecretScrubber.none().scrub("api_key k")).isEqualTo("api_key k");
  }

  @Test
  void aFilteredStreamMasksSecretsWrittenInPiecesAndTheLinesOfAMultiLineKey() {
    SecretScrubber scrubber = SecretScrubber.of(SPEC, json(
        "{\"api_key\":\"sk-live-123\",\"credentials\":{\"method\":\"key\",\"private_key\":"
            + "\"-----BEGIN KEY-----\\nMIIEvQIBADANBgkqhkiG9w0B\\nAQEFAASCBKcwggSjAgEAAoIB==\\n-----END KEY-----\"}}"));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream target = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);

    try (java.io.PrintStream filtered = scrubber.filter(target)) {
      filtered.print("key sk-li");
      filtered.flush();
      filtered.print("ve-123 refused\n");
      filtered.println("line 2 of the key: MIIEvQIBADANBgkqhkiG9w0B");
      filtered.print("no newline at the end: AQEFAASCBKcwggSjAgEAAoIB==");
    }

    assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
        "key **** refused\nline 2 of the key: ****\nno newline at the end: ****");
  }

  @Test
  void eachValueOfASecretListOfParametersIsMaskedAlone() {
    SecretScrubber scrubber = SecretScrubber.of(SPEC, json("{\"api_key\":\"user=admin&token=tk-9f8e7d6c5b&ssl=true\"}"));

    assertThat(scrubber.scrub("invalid value for parameter token: \"tk-9f8e7d6c5b\""))
        .isEqualTo("invalid value for parameter token: \"****\"");
    assertThat(scrubber.scrub("ssl=true user=admin")).isEqualTo("ssl=true user=admin");
  }

  @Test
  void javaUtilLoggingWarningsGoToTheCurrentStderr() {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try {
      System.setErr(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
      StderrLogging.CurrentStderrHandler handler = new StderrLogging.CurrentStderrHandler();
      java.util.logging.LogRecord warning = new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "lost {0}");
      warning.setLoggerName("org.postgresql.Driver");
      warning.setParameters(new Object[] {"the connection"});
      handler.publish(warning);
      handler.publish(new java.util.logging.LogRecord(java.util.logging.Level.INFO, "chatter"));
    } finally {
      System.setErr(original);
    }
    assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("[WARNING] org.postgresql.Driver - lost the connection" + System.lineSeparator());
  }
}
