package io.destkit.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.ValueLimits;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.DataChannel.Format;
import io.destkit.protocol.FrameReader;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.socket.SocketScript;
import io.destkit.testkit.socket.SocketScript.Frame;
import io.destkit.testkit.socket.SocketScript.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The socket source's records, read by the destination's own parser (this test sits in the
 * parser's package to reach it): the protobuf form of each record gives the values, changes and
 * extraction time that its JSONL form gives, and its partition id, for the kit's typed fixture (values
 * in other spellings of their type, values their type cannot hold, an integer beyond 64 bits, the
 * source's changes) and for plain ones.
 */
class SocketScriptDecodingTest {

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(SocketScriptDecodingTest.class.getResource("/io/destkit/testkit/e2e/" + name).toURI());
  }

  private record Decoded(int stream, long extractedAt, List<Object> values, Set<String> changes, int nulled) {}

  private static Decoded decoded(ParsedLine out) throws IOException {
    List<Object> values = new ArrayList<>();
    for (Object value : out.values) {
      // Compare what is stored: numbers by value, timestamps with a zone by instant.
      if (value instanceof BigDecimal n) {
        values.add(n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString());
      } else if (value instanceof OffsetDateTime t) {
        values.add(t.toInstant());
      } else {
        values.add(value);
      }
    }
    Set<String> changes = new TreeSet<>();
    if (out.changes != null) {
      for (JsonNode change : MessageCodec.MAPPER.readTree(out.changes)) {
        changes.add(MessageCodec.encode(change));
      }
    }
    return new Decoded(out.streamIndex, out.extractedAtMillis, values, changes, out.nulledValues);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "typed_catalog.json, typed_messages.jsonl",
    "two_streams_catalog.json, stream_states_interleaved.jsonl",
    "two_streams_catalog.json, global_states_interleaved.jsonl",
    "users_catalog.json, users_messages.jsonl",
  })
  void protobufRecordsDecodeAsTheirJsonLines(String catalogName, String messagesName) throws Exception {
    Path catalogFile = fixture(catalogName);
    ConfiguredCatalog configured = ConfiguredCatalog.fromJson(MessageCodec.MAPPER.readTree(catalogFile.toFile()));
    DestinationCatalog catalog = DestinationCatalog.from(configured);
    TableCatalog tables = TableCatalog.build(catalog, new NamingPolicy(new IdentifierRules(255, true, Set.of()), "main", null));
    MessageParser parser = new MessageParser(catalog, tables, ValueLimits.NONE);
    SocketScript jsonl = SocketScript.builder(configured, Format.JSONL).sockets(2).build(fixture(messagesName));
    SocketScript protobuf = SocketScript.builder(configured, Format.PROTOBUF).sockets(2).build(fixture(messagesName));

    int records = 0;
    for (int socket = 1; socket <= 2; socket++) {
      List<Frame> lines = jsonl.frames(socket);
      FrameReader frames = new FrameReader(new ByteArrayInputStream(protobuf.bytes(socket)), 1024, 1 << 24);
      for (int i = 0; i < lines.size(); i++) {
        assertThat(frames.next()).isTrue();
        ParsedLine out = new ParsedLine();
        byte[] line = lines.get(i).bytes();
        parser.parse(line, 0, line.length - 1, i + 1, out);
        Decoded fromJson = lines.get(i).kind() == Kind.RECORD ? decoded(out) : null;
        ParsedLine.Kind jsonKind = out.kind;
        ObjectNodeText jsonMessage = new ObjectNodeText(out.message);
        parser.parseProtobuf(frames.buffer(), 0, frames.frameLength(), "socket " + socket + ", frame " + (i + 1), out);
        assertThat(out.kind).as("kind of socket " + socket + " frame " + (i + 1)).isEqualTo(jsonKind);
        if (fromJson != null) {
          assertThat(decoded(out)).as("socket " + socket + " frame " + (i + 1) + ": " + new String(line).strip())
              .isEqualTo(fromJson);
          // (The JSON path does not read record.partition_id yet; the protobuf one does.)
          assertThat(out.partitionId).isEqualTo(lines.get(i).partitionId());
          records++;
        } else {
          assertThat(new ObjectNodeText(out.message)).isEqualTo(jsonMessage);
        }
      }
      assertThat(frames.next()).isFalse();
    }
    assertThat(records).isEqualTo(jsonl.records().size()).isPositive();
  }

  /** A STATE or TRACE message as its JSON text (the parser reuses nothing of it, but compare text). */
  private record ObjectNodeText(String text) {
    ObjectNodeText(com.fasterxml.jackson.databind.node.ObjectNode message) {
      this(message == null ? null : MessageCodec.encode(message));
    }
  }
}
