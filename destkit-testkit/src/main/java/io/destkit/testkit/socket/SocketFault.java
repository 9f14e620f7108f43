package io.destkit.testkit.socket;

import io.destkit.protocol.DataChannel;
import io.destkit.protocol.StreamDescriptor;
import java.util.Objects;

/**
 * A fault a {@link SocketScript} writes into a socket's content. Sockets are numbered from 1; a
 * position counts the socket's frames (its records, states, traces and probes, before any fault)
 * from 1, and "after frame 0" is the start of the socket.
 */
public sealed interface SocketFault {

  /** The socket the fault is on (0 for {@link WrongCase}, which is on every socket). */
  int socket();

  /** Whether the fault can be written in {@code format}. */
  boolean fits(DataChannel.Format format);

  /**
   * Eleven 0xFF bytes after frame {@code afterFrame}: a length prefix that is not a varint (a
   * varint has at most ten bytes, and a frame length at most five). Protobuf only.
   */
  static SocketFault notAVarint(int socket, int afterFrame) {
    return new Inserted(socket, afterFrame, Insertion.NOT_A_VARINT);
  }

  /**
   * A frame with a right length prefix whose message is not valid protobuf, after frame {@code
   * afterFrame}: {@code 04 0A 05 01 02}, a record (field 1) said to be 5 bytes long of which 2
   * follow. Protobuf only.
   */
  static SocketFault invalidProtobuf(int socket, int afterFrame) {
    return new Inserted(socket, afterFrame, Insertion.INVALID_PROTOBUF);
  }

  /** The line {@code {"type": "RECORD", "record": } (not JSON) after frame {@code afterFrame}. JSONL only. */
  static SocketFault invalidJsonLine(int socket, int afterFrame) {
    return new Inserted(socket, afterFrame, Insertion.INVALID_JSON_LINE);
  }

  /** The socket closes in the middle of its last frame: the frame's first half is sent, then EOF. */
  static SocketFault truncateLastFrame(int socket) {
    return new CloseMidFrame(socket, -1);
  }

  /** The socket closes in the middle of frame {@code frame}: its first half is sent, then EOF. */
  static SocketFault closeMidFrame(int socket, int frame) {
    return new CloseMidFrame(socket, frame);
  }

  /**
   * The socket closes just before its {@code state}-th STATE (from 1): the records of that state's
   * partition arrive, the state never does, and nothing after it is sent.
   */
  static SocketFault closeBeforeState(int socket, int state) {
    return new CloseBeforeState(socket, state);
  }

  /**
   * Every non-null value of {@code column} of {@code stream} is sent in {@code valueCase} instead of
   * its own (for example {@link ValueCase#BIG_DECIMAL} for a timestamp column; see {@link
   * ProtobufRecordEncoder}). Protobuf only.
   */
  static SocketFault wrongCase(StreamDescriptor stream, String column, ValueCase valueCase) {
    return new WrongCase(stream, column, valueCase);
  }

  /** What an {@link Inserted} fault writes. */
  enum Insertion {
    NOT_A_VARINT(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}, DataChannel.Format.PROTOBUF),
    INVALID_PROTOBUF(new byte[] {0x04, 0x0A, 0x05, 0x01, 0x02}, DataChannel.Format.PROTOBUF),
    INVALID_JSON_LINE("{\"type\": \"RECORD\", \"record\": \n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        DataChannel.Format.JSONL);

    private final byte[] bytes;
    private final DataChannel.Format format;

    Insertion(byte[] bytes, DataChannel.Format format) {
      this.bytes = bytes;
      this.format = format;
    }

    /** The bytes written (a copy). */
    public byte[] bytes() {
      return bytes.clone();
    }

    public DataChannel.Format format() {
      return format;
    }
  }

  /** Bytes inserted after a frame. */
  record Inserted(int socket, int afterFrame, Insertion insertion) implements SocketFault {
    public Inserted {
      requireSocket(socket);
      if (afterFrame < 0) {
        throw new IllegalArgumentException("afterFrame counts frames from 0 (the start): " + afterFrame);
      }
      Objects.requireNonNull(insertion, "insertion");
    }

    @Override
    public boolean fits(DataChannel.Format format) {
      return insertion.format() == format;
    }
  }

  /** The socket ends within a frame; {@code frame} -1 is the last. */
  record CloseMidFrame(int socket, int frame) implements SocketFault {
    public CloseMidFrame {
      requireSocket(socket);
      if (frame == 0 || frame < -1) {
        throw new IllegalArgumentException("frames count from 1: " + frame);
      }
    }

    @Override
    public boolean fits(DataChannel.Format format) {
      return true;
    }
  }

  /** The socket ends before its {@code state}-th STATE. */
  record CloseBeforeState(int socket, int state) implements SocketFault {
    public CloseBeforeState {
      requireSocket(socket);
      if (state < 1) {
        throw new IllegalArgumentException("states count from 1: " + state);
      }
    }

    @Override
    public boolean fits(DataChannel.Format format) {
      return true;
    }
  }

  /** A column's values sent in another case. */
  record WrongCase(StreamDescriptor stream, String column, ValueCase valueCase) implements SocketFault {
    public WrongCase {
      Objects.requireNonNull(stream, "stream");
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(valueCase, "valueCase");
    }

    @Override
    public int socket() {
      return 0;
    }

    @Override
    public boolean fits(DataChannel.Format format) {
      return format == DataChannel.Format.PROTOBUF;
    }
  }

  private static void requireSocket(int socket) {
    if (socket < 1) {
      throw new IllegalArgumentException("sockets count from 1: " + socket);
    }
  }
}
