package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.DestinationSyncMode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.ProtocolMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code --spec}: one SPEC message, equal to the destination's snapshot, secrets marked. */
public abstract class SpecSuite<C> extends DestinationSuite<C> {

  /**
   * The classpath resource, next to the destination's tests, holding the whole SPEC message it must
   * print. Compared as JSON, so its formatting is free.
   */
  protected String expectedSpecResource() {
    return "/expected-spec.json";
  }

  /** The config fields the spec must mark {@code airbyte_secret}, as dotted paths; none by default. */
  protected Set<String> secretFields() {
    return Set.of();
  }

  private ProtocolMessage spec() {
    ConnectorRun run = ConnectorRun.spec(destination());
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    return run.single(MessageType.SPEC);
  }

  @Test
  void specPrintsExactlyOneSpecMessageAndExitsZero() {
    assertThat(spec().json().get("spec").isObject()).isTrue();
  }

  @Test
  void specEqualsTheSnapshot() throws IOException {
    JsonNode actual = spec().json();
    assertThat(actual)
        .as("SPEC message; if the change is intended, update %s to:%n%s",
            expectedSpecResource(), MessageCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual))
        .isEqualTo(expectedSpec());
  }

  @Test
  void specMarksExactlyTheSecretFieldsAsAirbyteSecret() {
    Set<String> marked = new TreeSet<>();
    collectSecrets(spec().json().path("spec").path("connectionSpecification"), "", marked);
    assertThat(marked).containsExactlyInAnyOrderElementsOf(secretFields());
  }

  @Test
  void specListsOnlyKnownDestinationSyncModesAndAtLeastOne() {
    JsonNode modes = spec().json().path("spec").path("supported_destination_sync_modes");
    assertThat(modes.isArray() && !modes.isEmpty()).as("supported_destination_sync_modes %s", modes).isTrue();
    for (JsonNode mode : modes) {
      assertThat(DestinationSyncMode.fromWire(mode.asText())).isNotNull();
    }
  }

  @Test
  void theValidConfigPassesTheSpec() {
    assertThat(destination().specification().problems(validConfig(tempDir))).isEmpty();
  }

  private JsonNode expectedSpec() {
    try (InputStream in = getClass().getResourceAsStream(expectedSpecResource())) {
      if (in == null) {
        throw new IllegalStateException(
            "No snapshot " + expectedSpecResource() + " on the test classpath of " + getClass().getName());
      }
      return MessageCodec.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Walks properties (and the properties of oneOf options), collecting paths marked secret. */
  private static void collectSecrets(JsonNode schema, String path, Set<String> out) {
    if (schema.path("airbyte_secret").asBoolean(false)) {
      out.add(path);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      collectSecrets(property.getValue(), path.isEmpty() ? property.getKey() : path + "." + property.getKey(), out);
    }
    for (JsonNode option : schema.path("oneOf")) {
      collectSecrets(option, path, out);
    }
  }
}
