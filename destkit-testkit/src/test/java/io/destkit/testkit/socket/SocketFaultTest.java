package io.destkit.testkit.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.destkit.protocol.DataChannel.Format;
import io.destkit.protocol.FrameReader;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.socket.SocketScript.ExpectedState;
import io.destkit.testkit.socket.SocketScript.Frame;
import io.destkit.testkit.socket.SocketScript.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketFaultTest {
  private static final Path CATALOG = SocketSourceTest.fixture("two_streams_catalog.json");
  private static final Path MESSAGES = SocketSourceTest.fixture("stream_states_interleaved.jsonl");
  private static final StreamDescriptor ORDERS = new StreamDescriptor(null, "orders");

  private static SocketScript script(Format format, SocketFault... faults) {
    SocketScript.Builder builder = SocketScript.builder(CATALOG, format).sockets(2);
    for (SocketFault fault : faults) {
      builder.fault(fault);
    }
    return builder.build(MESSAGES);
  }

  private static byte[] join(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(f -> out.writeBytes(f.bytes()));
    return out.toByteArray();
  }

  private static byte[] join(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void notAVarintInsertsElevenContinuationBytesThatFrameReaderRefuses() throws IOException {
    SocketScript clean = script(Format.PROTOBUF);
    SocketScript faulty = script(Format.PROTOBUF, SocketFault.notAVarint(1, 1));
    List<Frame> frames = clean.frames(1);
    byte[] ff = new byte[11];
    Arrays.fill(ff, (byte) 0xFF);
    assertThat(faulty.bytes(1)).containsExactly(join(join(frames.subList(0, 1)), ff, join(frames.subList(1, frames.size()))));
    assertThat(faulty.bytes(2)).containsExactly(clean.bytes(2));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(faulty.bytes(1)), 64, 1 << 20);
    assertThat(reader.next()).isTrue();
    assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("frame 2")
        .hasMessageContaining("not a 32-bit varint");
  }

  @Test
  void invalidProtobufIsAWellFramedMessageThatDoesNotParse() throws IOException {
    SocketScript faulty = script(Format.PROTOBUF, SocketFault.invalidProtobuf(2, 0));
    byte[] bytes = faulty.bytes(2);
    assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0x04, 0x0A, 0x05, 0x01, 0x02);
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).containsExactly(script(Format.PROTOBUF).bytes(2));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), 64, 1 << 20);
    assertThat(reader.next()).isTrue();
    CodedInputStream in = CodedInputStream.newInstance(reader.frame());
    in.readTag();
    assertThatThrownBy(in::readBytes).isInstanceOf(InvalidProtocolBufferException.class);
    assertThat(faulty.frames(2).get(0).kind()).isEqualTo(Kind.FAULT);
  }

  @Test
  void anInvalidJsonLineIsALineThatDoesNotParse() {
    SocketScript clean = script(Format.JSONL);
    SocketScript faulty = script(Format.JSONL, SocketFault.invalidJsonLine(1, 2));
    List<Frame> frames = clean.frames(1);
    byte[] line = "{\"type\": \"RECORD\", \"record\": \n".getBytes(StandardCharsets.UTF_8);
    assertThat(faulty.bytes(1)).containsExactly(join(join(frames.subList(0, 2)), line, join(frames.subList(2, frames.size()))));
    assertThatThrownBy(() -> SocketScript.JSON.readTree(new String(line, StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aTruncatedLastFrameEndsTheSocketWithinIt() throws IOException {
    SocketScript clean = script(Format.PROTOBUF);
    SocketScript faulty = script(Format.PROTOBUF, SocketFault.truncateLastFrame(1));
    List<Frame> frames = clean.frames(1);
    byte[] last = frames.get(frames.size() - 1).bytes();
    byte[] half = Arrays.copyOf(last, last.length / 2);
    assertThat(faulty.bytes(1)).containsExactly(join(join(frames.subList(0, frames.size() - 1)), half));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(faulty.bytes(1)), 64, 1 << 20);
    for (int i = 1; i < frames.size(); i++) {
      assertThat(reader.next()).isTrue();
    }
    assertThatThrownBy(reader::next).isInstanceOf(EOFException.class).hasMessageContaining("within frame " + frames.size());
  }

  @Test
  void closingMidFrameSendsHalfOfItAndNothingAfter() {
    SocketScript clean = script(Format.JSONL);
    SocketScript faulty = script(Format.JSONL, SocketFault.closeMidFrame(2, 2));
    List<Frame> frames = clean.frames(2);
    byte[] second = frames.get(1).bytes();
    assertThat(faulty.bytes(2)).containsExactly(join(frames.get(0).bytes(), Arrays.copyOf(second, second.length / 2)));
    assertThat(new String(faulty.bytes(2), StandardCharsets.UTF_8)).doesNotEndWith("\n");
  }

  @Test
  void closingBeforeAStateSendsItsRecordsButNeverTheState() {
    SocketScript clean = script(Format.JSONL);
    // Socket 1 holds orders' first partition (o1, o2, state 1), customers' second (c2, c3, state 2),
    // orders' third (no record, state 3), then the stream statuses.
    List<Frame> frames = clean.frames(1);
    assertThat(frames).extracting(Frame::kind).containsExactly(
        Kind.RECORD, Kind.RECORD, Kind.STATE, Kind.RECORD, Kind.RECORD, Kind.STATE, Kind.STATE, Kind.TRACE, Kind.TRACE);
    SocketScript faulty = script(Format.JSONL, SocketFault.closeBeforeState(1, 2));
    assertThat(faulty.bytes(1)).containsExactly(join(frames.subList(0, 5)));
    // Input order of the states: orders 1, customers 1, customers 2, orders 2, orders 3; the cut drops
    // customers 2 and what follows it on socket 1 (orders 3).
    assertThat(faulty.states()).extracting(ExpectedState::sent).containsExactly(true, true, false, true, false);
    assertThat(faulty.expectedEcho()).extracting(s -> s.stream().name() + ":" + s.id())
        .containsExactly("orders:1", "customers:1", "orders:2");
    // Cutting orders' first state blocks every later orders state: ids are echoed strictly in order.
    SocketScript blocked = script(Format.JSONL, SocketFault.closeBeforeState(1, 1));
    assertThat(blocked.expectedEcho()).extracting(s -> s.stream().name() + ":" + s.id()).containsExactly("customers:1");
  }

  @Test
  void aWrongCaseSendsTheColumnsValuesInThatCase() throws IOException {
    SocketScript faulty = script(Format.PROTOBUF, SocketFault.wrongCase(ORDERS, "total", ValueCase.BIG_DECIMAL));
    List<SocketClient.Received> received = SocketClient.decode(1, faulty.bytes(1), Format.PROTOBUF);
    SocketClient.DecodedRecord o1 = received.get(0).record();
    assertThat(o1.stream()).isEqualTo("orders");
    // Properties id, total: total 10 goes as big_decimal text "10"; id keeps its string case.
    assertThat(o1.values()).containsExactly(
        new SocketClient.DecodedValue(ValueCase.STRING, "o1"), new SocketClient.DecodedValue(ValueCase.BIG_DECIMAL, "10"));
    SocketScript clean = script(Format.PROTOBUF);
    assertThat(SocketClient.decode(1, clean.bytes(1), Format.PROTOBUF).get(0).record().values().get(1))
        .isEqualTo(new SocketClient.DecodedValue(ValueCase.NUMBER, 10.0));
  }

  @Test
  void aFaultThatDoesNotFitTheScriptIsRefused() {
    SocketScript.Builder jsonl = SocketScript.builder(CATALOG, Format.JSONL).sockets(2);
    assertThatThrownBy(() -> jsonl.fault(SocketFault.notAVarint(1, 0))).hasMessageContaining("JSONL");
    assertThatThrownBy(() -> jsonl.fault(SocketFault.wrongCase(ORDERS, "total", ValueCase.STRING)))
        .hasMessageContaining("JSONL");
    assertThatThrownBy(() -> SocketScript.builder(CATALOG, Format.PROTOBUF).fault(SocketFault.invalidJsonLine(1, 0)))
        .hasMessageContaining("PROTOBUF");
    assertThatThrownBy(() -> script(Format.PROTOBUF, SocketFault.wrongCase(ORDERS, "price", ValueCase.STRING)))
        .hasMessageContaining("no property 'price'");
    assertThatThrownBy(() -> script(Format.JSONL, SocketFault.closeMidFrame(3, 1))).hasMessageContaining("2 socket(s)");
    assertThatThrownBy(() -> script(Format.JSONL, SocketFault.closeBeforeState(2, 5))).hasMessageContaining("sends 2 state(s)");
    assertThatThrownBy(() -> script(Format.JSONL, SocketFault.closeMidFrame(1, 2), SocketFault.closeBeforeState(1, 1)))
        .hasMessageContaining("already closes early");
  }

  @Test
  void probesAreEmptyLinesOrProbeMessages() {
    SocketScript jsonl = SocketScript.builder(CATALOG, Format.JSONL).probeEvery(1).build(MESSAGES);
    List<Frame> frames = jsonl.frames(1);
    assertThat(frames.get(1).kind()).isEqualTo(Kind.PROBE);
    assertThat(frames.get(1).bytes()).containsExactly('\n');
    SocketScript protobuf = SocketScript.builder(CATALOG, Format.PROTOBUF).probeEvery(3).build(MESSAGES);
    assertThat(protobuf.frames(1).get(3).kind()).isEqualTo(Kind.PROBE);
    assertThat(protobuf.frames(1).get(3).bytes()).containsExactly(0x02, 0x1A, 0x00);
  }

  @Test
  void faultyBytesArriveOverTheSocketExactlyAsScripted() throws Exception {
    SocketScript faulty = script(Format.PROTOBUF, SocketFault.notAVarint(2, 1), SocketFault.truncateLastFrame(1));
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sockflt");
    try (SocketSource source = SocketSource.start(dir, faulty)) {
      List<byte[]> received = SocketClient.readAll(source);
      source.requireServed(Duration.ofSeconds(20));
      assertThat(received.get(0)).containsExactly(faulty.bytes(1));
      assertThat(received.get(1)).containsExactly(faulty.bytes(2));
    } finally {
      Files.deleteIfExists(dir);
    }
  }
}
