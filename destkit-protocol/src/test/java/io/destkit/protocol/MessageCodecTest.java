package io.destkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One example of every message of the Airbyte protocol v0, decoded and encoded again. */
class MessageCodecTest {
  private static final String MESSAGES = "messages/protocol_v0_messages.jsonl";

  static Stream<Arguments> everyMessage() {
    return Fixtures.resourceLines(MESSAGES).stream().map(line -> Arguments.of(label(line), line));
  }

  /** e.g. {@code STATE STREAM}, {@code STATE (no type)}, {@code TRACE ESTIMATE}. */
  private static String label(String line) {
    JsonNode tree = Fixtures.tree(line);
    String type = tree.path("type").asText();
    return switch (type) {
      case "STATE" -> type + " " + tree.path("state").path("type").asText("(no type)");
      case "TRACE" -> type + " " + tree.path("trace").path("type").asText() + " "
          + tree.path("trace").path("stream_status").path("status").asText("");
      default -> type;
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyMessage")
  void decodingGivesTheMessageTypeAndTheWholeObject(String label, String line) {
    ProtocolMessage message = MessageCodec.decode(line);

    assertThat(message.type().name()).isEqualTo(Fixtures.tree(line).get("type").asText());
    assertThat(message.json()).isEqualTo(Fixtures.tree(line));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyMessage")
  void aRoundTripKeepsEveryFieldUnknownOnesIncluded(String label, String line) {
    String encoded = MessageCodec.encode(MessageCodec.decode(line).json());

    assertThat(encoded).doesNotContain("\n");
    assertThat(Fixtures.tree(encoded)).isEqualTo(Fixtures.tree(line));
    assertThat(MessageCodec.decode(encoded).json()).isEqualTo(MessageCodec.decode(line).json());
  }

  @Test
  void theFixtureCoversEveryMessageTypeAndEveryStateAndTraceKind() {
    List<String> lines = Fixtures.resourceLines(MESSAGES);
    Set<MessageType> types =
        lines.stream().map(line -> MessageCodec.decode(line).type()).collect(Collectors.toSet());
    Set<String> labels = lines.stream().map(MessageCodecTest::label).map(String::strip).collect(Collectors.toSet());

    assertThat(types).isEqualTo(EnumSet.allOf(MessageType.class));
    assertThat(labels)
        .contains(
            "STATE STREAM", "STATE GLOBAL", "STATE LEGACY", "STATE (no type)",
            "TRACE ERROR", "TRACE STREAM_STATUS COMPLETE", "TRACE STREAM_STATUS RUNNING", "TRACE ESTIMATE");
  }

  @Test
  void unknownFieldsAtEveryLevelOfARecordSurviveTheRoundTrip() {
    String line = Fixtures.resourceLines(MESSAGES).get(0);
    JsonNode echoed = Fixtures.tree(MessageCodec.encode(MessageCodec.decode(line).json()));

    assertThat(echoed.path("x_top_extra").asText()).isEqualTo("kept");
    assertThat(echoed.path("record").path("x_record_extra").path("kept").asBoolean()).isTrue();
    assertThat(echoed.path("record").path("meta").path("changes").get(0).path("reason").asText())
        .isEqualTo("SOURCE_FIELD_SIZE_LIMITATION");
  }

  @Test
  void aLegacyStateWithTopLevelFieldsOfAThirdPartySourceIsKeptWhole() {
    String line =
        "{\"state\":{\"data\":{\"format\":\"base64/gzip\",\"data\":\"H4sI\"}},\"type\":\"STATE\","
            + "\"sourceIdentity\":\"x\",\"redactedConfig\":{\"user\":\"chris\"},\"streamStatus\":{\"builds\":\"OK\"}}";

    ProtocolMessage message = MessageCodec.decode(line);

    assertThat(message.type()).isEqualTo(MessageType.STATE);
    assertThat(MessageCodec.encode(message.json())).isEqualTo(line);
  }

  @Test
  void numbersInAStateBlobAreEchoedExactlyAsWritten() {
    String line =
        "{\"type\":\"STATE\",\"state\":{\"type\":\"LEGACY\",\"data\":{\"big\":123456789012345678901234567890,"
            + "\"decimal\":1.10,\"precise\":0.1000000000000000055511151231257827}}}";

    assertThat(MessageCodec.encode(MessageCodec.decode(line).json())).isEqualTo(line);
  }

  @Test
  void aNumberBeyondTheRangeOfADoubleStaysTheSameNumber() {
    String line = "{\"type\":\"STATE\",\"state\":{\"data\":{\"huge\":1e400,\"tiny\":-2.5e-400}}}";

    String echoed = MessageCodec.encode(MessageCodec.decode(line).json());

    assertThat(echoed).doesNotContain("Infinity");
    assertThat(Fixtures.tree(echoed).path("state").path("data").path("huge").decimalValue())
        .isEqualByComparingTo("1e400");
    assertThat(Fixtures.tree(echoed).path("state").path("data").path("tiny").decimalValue())
        .isEqualByComparingTo("-2.5e-400");
  }

  @Test
  void decodingReadsASliceOfALargerBuffer() {
    byte[] buffer = "garbage{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"é\"}}garbage"
        .getBytes(StandardCharsets.UTF_8);
    int offset = "garbage".length();
    int length = buffer.length - 2 * offset;

    ProtocolMessage message = MessageCodec.decode(buffer, offset, length);

    assertThat(message.type()).isEqualTo(MessageType.LOG);
    assertThat(message.json().path("log").path("message").asText()).isEqualTo("é");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"RECORD\",", "not json", "{\"type\":RECORD}", "{'type':'LOG'}"})
  void aLineThatIsNotJsonIsAProtocolError(String line) {
    assertThatThrownBy(() -> MessageCodec.decode(line))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[{\"type\":\"LOG\"}]", "42", "\"RECORD\"", "null", "true", ""})
  void aLineThatIsNotAJsonObjectIsAProtocolError(String line) {
    assertThatThrownBy(() -> MessageCodec.decode(line))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("a message must be a JSON object");
  }

  @Test
  void aMessageWithoutTypeIsAProtocolError() {
    assertThatThrownBy(() -> MessageCodec.decode("{\"record\":{\"stream\":\"s\",\"data\":{}}}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("message has no 'type'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"BANANA", "record", "Record", ""})
  void aMessageOfAnUnknownTypeIsAProtocolErrorNamingTheType(String type) {
    assertThatThrownBy(() -> MessageCodec.decode("{\"type\":\"" + type + "\"}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("unknown message type '" + type + "'");
  }

  @Test
  void aMessageWhoseTypeIsNotAStringIsAProtocolError() {
    assertThatThrownBy(() -> MessageCodec.decode("{\"type\":7}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unknown message type");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"LOG\",\"log\":{}}{\"type\":\"LOG\",\"log\":{}}",
        "{\"type\":\"LOG\",\"log\":{}} {\"type\":\"LOG\",\"log\":{}}",
        "{\"type\":\"LOG\",\"log\":{}} 42",
        "{\"type\":\"LOG\",\"log\":{}} []"
      })
  void twoJsonValuesOnOneLineAreAProtocolError(String line) {
    assertThatThrownBy(() -> MessageCodec.decode(line))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("more than one JSON value on the line");
  }

  @Test
  void trailingWhitespaceAfterTheMessageIsAccepted() {
    assertThat(MessageCodec.decode("{\"type\":\"LOG\",\"log\":{}}  \t\r").type()).isEqualTo(MessageType.LOG);
  }

  @Test
  void encodingWritesCompactJsonOnOneLineEvenWhenValuesHoldNewlines() {
    JsonNode message = Fixtures.tree("{\"type\":\"LOG\",\"log\":{\"level\":\"ERROR\",\"message\":\"a\\nb\"}}");

    assertThat(MessageCodec.encode(message))
        .isEqualTo("{\"type\":\"LOG\",\"log\":{\"level\":\"ERROR\",\"message\":\"a\\nb\"}}");
  }

  @Test
  void veryLongStringValuesAreAccepted() {
    String value = "x".repeat(21_000_000);
    String line = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"v\":\"" + value + "\"}}}";

    assertThat(MessageCodec.decode(line).json().path("record").path("data").path("v").asText()).hasSize(21_000_000);
  }

  private static String nested(int depth, String leaf) {
    return "{\"a\":".repeat(depth) + leaf + "}".repeat(depth);
  }

  @ParameterizedTest
  @ValueSource(ints = {1_500, 20_000, 100_000})
  void aDeeplyNestedStateIsDecodedAndEncodedAgainUnchanged(int depth) {
    String line = "{\"type\":\"STATE\",\"state\":{\"type\":\"LEGACY\",\"data\":" + nested(depth, "[1.10,\"x\"]") + "}}";

    ProtocolMessage message = MessageCodec.decode(line);

    assertThat(message.type()).isEqualTo(MessageType.STATE);
    // Compared as text: Jackson's tree equality is recursive too.
    assertThat(MessageCodec.encode(message.json())).isEqualTo(line);
  }

  @Test
  void namesAndStringsLongerThanJacksonsDefaultLimitsAreRead() {
    String name = "n".repeat(60_000);
    String value = "v".repeat(21_000_000);
    String line = "{\"type\":\"LOG\",\"log\":{\"" + name + "\":\"" + value + "\"}}";

    ProtocolMessage message = MessageCodec.decode(line);

    assertThat(message.json().path("log").path(name).textValue()).hasSize(value.length());
    assertThat(MessageCodec.encode(message.json())).isEqualTo(line);
  }

  @Test
  void theParserFollowsInputUpToTheInputDepthAndNoFurther() throws Exception {
    int depth = JsonConfiguration.MAX_INPUT_DEPTH;
    for (int extra : new int[] {0, 1}) {
      String json = "[".repeat(depth + extra) + "]".repeat(depth + extra);
      try (JsonParser parser = JsonConfiguration.FACTORY.createParser(json)) {
        parser.nextToken();
        if (extra == 0) {
          parser.skipChildren();
          assertThat(parser.nextToken()).isNull();
        } else {
          assertThatThrownBy(parser::skipChildren)
              .isInstanceOf(StreamConstraintsException.class)
              .hasMessageContaining(String.valueOf(depth));
        }
      }
    }
  }
}
