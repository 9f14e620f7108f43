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
}
