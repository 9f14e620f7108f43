package io.destkit.testkit.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.destkit.protocol.DataChannel;
import io.destkit.protocol.FrameReader;
import io.destkit.protocol.UnixSockets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The destination's side, for tests: connects to a socket, reads it to EOF, and decodes what came
 * (JSON lines, or length-delimited protobuf read with {@link FrameReader} and {@link
 * CodedInputStream}), independently of the encoder under test.
 */
final class SocketClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private SocketClient() {}

  /** What arrived: a JSON message (JSONL, or embedded in protobuf), a protobuf record, or a probe. */
  record Received(int socket, String kind, ObjectNode json, DecodedRecord record) {
    String partitionId() {
      if (record != null) {
        return record.partitionId();
      }
      JsonNode body = kind.equals("RECORD") ? json.path("record") : json.path("state");
      return body.path("partition_id").asText(null);
    }
  }

  /** A value: its case (null for NULL) and its decoded Java value. */
  record DecodedValue(ValueCase valueCase, Object value) {}

  record DecodedChange(String field, int change, int reason) {}

  record DecodedRecord(
      String namespace, String stream, long emittedAt, String partitionId, List<DecodedValue> values,
      List<DecodedChange> changes) {}

  /** Every byte socket {@code path} sends until EOF. */
  static byte[] readAll(Path path) throws IOException, InterruptedException {
    try (SocketChannel channel = UnixSockets.connect(path, CONNECT_TIMEOUT);
        InputStream in = Channels.newInputStream(channel)) {
      return in.readAllBytes();
    }
  }

  /** Each socket's bytes, socket 1 first. */
  static List<byte[]> readAll(SocketSource source) throws IOException, InterruptedException {
    List<byte[]> contents = new ArrayList<>();
    for (Path path : source.paths()) {
      contents.add(readAll(path));
    }
    return contents;
  }

  /** Decodes one socket's bytes. */
  static List<Received> decode(int socket, byte[] bytes, DataChannel.Format format) throws IOException {
    List<Received> received = new ArrayList<>();
    if (format == DataChannel.Format.JSONL) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        throw new IOException("socket " + socket + " does not end with a newline");
      }
      for (String line : text.split("\n", -1)) {
        if (line.isEmpty()) {
          received.add(new Received(socket, "PROBE", null, null));
        } else {
          ObjectNode json = (ObjectNode) SocketScript.JSON.readTree(line);
          received.add(new Received(socket, json.path("type").asText(), json, null));
        }
      }
      // split leaves one empty string after the final newline: not a probe.
      received.remove(received.size() - 1);
      return received;
    }
    FrameReader frames = new FrameReader(new ByteArrayInputStream(bytes), 1024, 64 * 1024 * 1024);
    while (frames.next()) {
      received.add(message(socket, CodedInputStream.newInstance(frames.buffer(), 0, frames.frameLength())));
    }
    return received;
  }

  private static Received message(int socket, CodedInputStream in) throws IOException {
    Received received = null;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> received = new Received(socket, "RECORD", null, record(in.readBytes().newCodedInput()));
        case 2 -> {
          ObjectNode json = (ObjectNode) SocketScript.JSON.readTree(in.readStringRequireUtf8());
          received = new Received(socket, json.path("type").asText(), json, null);
        }
        case 3 -> {
          in.readBytes();
          received = new Received(socket, "PROBE", null, null);
        }
        default -> throw new IOException("unknown top-level field " + WireFormat.getTagFieldNumber(tag));
      }
    }
    if (received == null) {
      throw new IOException("an empty top-level message");
    }
    return received;
  }

  private static DecodedRecord record(CodedInputStream in) throws IOException {
    String namespace = null;
    String stream = "";
    long emittedAt = 0;
    String partitionId = "";
    List<DecodedValue> values = new ArrayList<>();
    List<DecodedChange> changes = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> namespace = in.readStringRequireUtf8();
        case 2 -> stream = in.readStringRequireUtf8();
        case 3 -> emittedAt = in.readUInt64();
        case 4 -> partitionId = in.readStringRequireUtf8();
        case 5 -> values.add(value(in.readBytes().newCodedInput()));
        case 6 -> {
          CodedInputStream meta = in.readBytes().newCodedInput();
          for (int t; (t = meta.readTag()) != 0; ) {
            changes.add(change(meta.readBytes().newCodedInput()));
          }
        }
        default -> throw new IOException("unknown record field " + WireFormat.getTagFieldNumber(tag));
      }
    }
    return new DecodedRecord(namespace, stream, emittedAt, partitionId, values, changes);
  }

  private static DecodedChange change(CodedInputStream in) throws IOException {
    String field = "";
    int change = 0;
    int reason = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> field = in.readStringRequireUtf8();
        case 2 -> change = in.readEnum();
        case 3 -> reason = in.readEnum();
        default -> throw new IOException("unknown change field");
      }
    }
    return new DecodedChange(field, change, reason);
  }

  static DecodedValue value(CodedInputStream in) throws IOException {
    ValueCase valueCase = null;
    Object value = null;
    boolean isNull = false;
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == ValueCase.IS_NULL_FIELD) {
        isNull = in.readBool();
        continue;
      }
      valueCase = ValueCase.ofField(field);
      if (valueCase == null) {
        throw new IOException("unknown value field " + field);
      }
      value = switch (valueCase) {
        case BOOLEAN -> in.readBool();
        case STRING, BIG_INTEGER, BIG_DECIMAL -> in.readStringRequireUtf8();
        case INTEGER -> in.readSInt64();
        case NUMBER -> in.readDouble();
        case DATE -> LocalDate.ofEpochDay(in.readSInt64());
        case TIME_WITHOUT_TIMEZONE -> LocalTime.ofNanoOfDay(in.readUInt64());
        case JSON -> in.readBytes().toStringUtf8();
        case TIME_WITH_TIMEZONE -> {
          CodedInputStream inner = in.readBytes().newCodedInput();
          long nanos = 0;
          int offset = 0;
          for (int t; (t = inner.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(t) == 1) {
              nanos = inner.readUInt64();
            } else {
              offset = inner.readSInt32();
            }
          }
          yield OffsetTime.of(LocalTime.ofNanoOfDay(nanos), ZoneOffset.ofTotalSeconds(offset));
        }
        case TIMESTAMP_WITH_TIMEZONE -> {
          CodedInputStream inner = in.readBytes().newCodedInput();
          long seconds = 0;
          int nano = 0;
          int offset = 0;
          for (int t; (t = inner.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(t)) {
              case 1 -> seconds = inner.readSInt64();
              case 2 -> nano = inner.readUInt32();
              default -> offset = inner.readSInt32();
            }
          }
          yield OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nano), ZoneOffset.ofTotalSeconds(offset));
        }
        case TIMESTAMP_WITHOUT_TIMEZONE -> {
          CodedInputStream inner = in.readBytes().newCodedInput();
          long day = 0;
          long nanos = 0;
          for (int t; (t = inner.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(t) == 1) {
              day = inner.readSInt64();
            } else {
              nanos = inner.readUInt64();
            }
          }
          yield LocalDateTime.of(LocalDate.ofEpochDay(day), LocalTime.ofNanoOfDay(nanos));
        }
      };
    }
    return isNull ? new DecodedValue(null, null) : new DecodedValue(valueCase, value);
  }
}
