package io.destkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The messages a destination prints: each must decode again as a valid message of its type. */
class MessagesTest {

  private static JsonNode printedAndReadBack(ObjectNode message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new MessageWriter(out).write(message);
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n").doesNotContain("\r");
    assertThat(text.strip()).doesNotContain("\n");
    return MessageCodec.decode(text.strip()).json();
  }

  @Test
  void specCarriesTheSchemaTheSyncModesAndIncrementalSupport() {
    JsonNode schema = Fixtures.tree(
        "{\"type\":\"object\",\"properties\":{\"password\":{\"type\":\"string\",\"airbyte_secret\":true}}}");

    JsonNode message = printedAndReadBack(Messages.spec("https://example.com/docs", schema, true, "overwrite", "append", "append_dedup"));

    assertThat(message.path("type").asText()).isEqualTo("SPEC");
    JsonNode spec = message.path("spec");
    assertThat(spec.path("connectionSpecification")).isEqualTo(schema);
    assertThat(spec.path("supportsIncremental").asBoolean()).isTrue();
    assertThat(spec.path("supported_destination_sync_modes"))
        .extracting(JsonNode::asText)
        .containsExactly("overwrite", "append", "append_dedup");
    assertThat(spec.path("documentationUrl").asText()).isEqualTo("https://example.com/docs");
  }

  @Test
  void specWithoutIncrementalSaysSo() {
    JsonNode spec = Messages.spec("https://example.com/docs", Fixtures.tree("{}"), false).path("spec");

    assertThat(spec.path("supportsIncremental").asBoolean(true)).isFalse();
    assertThat(spec.path("supported_destination_sync_modes").isArray()).isTrue();
    assertThat(spec.path("supported_destination_sync_modes")).isEmpty();
  }

  @Test
  void aSucceededConnectionStatusHasNoMessage() {
    JsonNode message = printedAndReadBack(Messages.connectionStatus(true, null));

    assertThat(message.path("type").asText()).isEqualTo("CONNECTION_STATUS");
    assertThat(message.path("connectionStatus").path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(message.path("connectionStatus").has("message")).isFalse();
  }

  @Test
  void aFailedConnectionStatusCarriesItsMessage() {
    JsonNode status = printedAndReadBack(Messages.connectionStatus(false, "Could not reach \"db\"\nat 5432"))
        .path("connectionStatus");

    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).isEqualTo("Could not reach \"db\"\nat 5432");
  }

  @ParameterizedTest
  @EnumSource(Messages.FailureType.class)
  void anErrorIsATraceOfTypeErrorWithItsFailureType(Messages.FailureType failureType) {
    long before = System.currentTimeMillis();
    JsonNode message = printedAndReadBack(Messages.error(failureType, "Wrong password for user 'x'", "stack"));

    assertThat(message.path("type").asText()).isEqualTo("TRACE");
    JsonNode trace = message.path("trace");
    assertThat(trace.path("type").asText()).isEqualTo("ERROR");
    assertThat(trace.path("emitted_at").isNumber()).isTrue();
    assertThat(trace.path("emitted_at").asDouble()).isBetween((double) before, (double) System.currentTimeMillis());
    JsonNode error = trace.path("error");
    assertThat(error.path("message").asText()).isEqualTo("Wrong password for user 'x'");
    assertThat(error.path("internal_message").asText()).isEqualTo("stack");
    assertThat(error.path("failure_type").asText()).isEqualTo(failureType.wireName());
  }

  @Test
  void failureTypesUseTheProtocolsWireNames() {
    assertThat(Messages.FailureType.CONFIG_ERROR.wireName()).isEqualTo("config_error");
    assertThat(Messages.FailureType.SYSTEM_ERROR.wireName()).isEqualTo("system_error");
    assertThat(Messages.FailureType.TRANSIENT_ERROR.wireName()).isEqualTo("transient_error");
  }

  @Test
  void anErrorWithoutInternalMessageOmitsIt() {
    JsonNode error = Messages.error(Messages.FailureType.SYSTEM_ERROR, "boom", null).path("trace").path("error");

    assertThat(error.has("internal_message")).isFalse();
  }

  @Test
  void aLogCarriesItsLevelAndMessage() {
    JsonNode message = printedAndReadBack(Messages.log("WARN", "Wrote 3 records"));

    assertThat(message.path("type").asText()).isEqualTo("LOG");
    assertThat(message.path("log").path("level").asText()).isEqualTo("WARN");
    assertThat(message.path("log").path("message").asText()).isEqualTo("Wrote 3 records");
  }

  @Test
  void theWriterPrintsOneMessagePerLineInOrder() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageWriter writer = new MessageWriter(out);

    writer.write(Messages.log("INFO", "one"));
    writer.write(Messages.log("INFO", "two\nlines"));

    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines).hasSize(3);
    assertThat(lines[2]).isEmpty();
    assertThat(MessageCodec.decode(lines[0]).json().path("log").path("message").asText()).isEqualTo("one");
    assertThat(MessageCodec.decode(lines[1]).json().path("log").path("message").asText()).isEqualTo("two\nlines");
  }
}
