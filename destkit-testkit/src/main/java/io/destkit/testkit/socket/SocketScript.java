package io.destkit.testkit.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.DataChannel;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The content of each socket of a speed-mode sync, made from the messages a STDIO source would
 * print (RECORD, STATE and TRACE messages) and the configured catalog, as the platform's source
 * spreads them: the records of each state's scope (one stream for STREAM states; every stream since
 * the previous state for GLOBAL states) form a partition with a {@code partition_id}; each partition
 * is on one socket, the partitions dealt to the sockets in turn in the order of their states
 * (records whose state never comes form partitions dealt last); a socket sends its partitions one
 * after the other, each its records then its state. A state gets {@code id} (from 1, per stream for
 * STREAM states, one sequence for GLOBAL states), {@code partition_id} and {@code
 * sourceStats.recordCount}; a record gets {@code partition_id}. TRACE messages (stream statuses)
 * go on socket 1 after everything else. Probes and {@link SocketFault faults} may be added.
 *
 * <p>Built with {@link #builder}; {@link SocketSource} serves it.
 */
public final class SocketScript {
  /** The kit's mapper: numbers read exactly as written (1.10 stays 1.10). */
  static final ObjectMapper JSON = MessageCodec.MAPPER;

  /** What a frame of a socket holds. */
  public enum Kind {
    RECORD,
    STATE,
    TRACE,
    PROBE,
    /** Bytes a {@link SocketFault} wrote (inserted bytes, or the part of a frame cut short). */
    FAULT
  }

  /**
   * One unit written to a socket: a message with its framing (a JSON line with its newline, or a
   * length-delimited protobuf message), or a fault's bytes.
   *
   * @param partitionId the partition of a RECORD or STATE, else null
   * @param message the message as sent (with {@code partition_id}, and for a STATE {@code id} and
   *     {@code sourceStats}); null for probes and faults
   */
  public record Frame(Kind kind, String partitionId, ObjectNode message, byte[] bytes) {}

  /**
   * A STATE of the script: what the destination echoes once the state's records are committed.
   *
   * @param stream the stream of a STREAM state; null for a GLOBAL state
   * @param socket the socket it is sent on
   * @param message the STATE message as sent
   * @param sent false when a fault keeps it from arriving whole
   */
  public record ExpectedState(
      int id, StreamDescriptor stream, String partitionId, long recordCount, int socket, ObjectNode message,
      boolean sent) {}

  private final DataChannel.Format format;
  private final List<List<Frame>> frames;
  private final List<ExpectedState> states;

  SocketScript(DataChannel.Format format, List<List<Frame>> frames, List<ExpectedState> states) {
    this.format = format;
    this.frames = frames.stream().map(List::copyOf).toList();
    this.states = List.copyOf(states);
  }

  /** A builder of the script of {@code catalog}'s streams in {@code format}. */
  public static Builder builder(ConfiguredCatalog catalog, DataChannel.Format format) {
    return new Builder(catalog, format);
  }

  /** A builder for the configured catalog in {@code catalogFile}. */
  public static Builder builder(Path catalogFile, DataChannel.Format format) {
    return builder(ConfiguredCatalog.fromJson(readTree(catalogFile)), format);
  }

  public DataChannel.Format format() {
    return format;
  }

  public int socketCount() {
    return frames.size();
  }

  /** The frames of socket {@code socket} (from 1), in the order written. */
  public List<Frame> frames(int socket) {
    return frames.get(index(socket));
  }

  /** The bytes socket {@code socket} (from 1) sends before it closes. */
  public byte[] bytes(int socket) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame frame : frames(socket)) {
      out.writeBytes(frame.bytes());
    }
    return out.toByteArray();
  }

  /** Every socket's bytes, socket 1 first. */
  public List<byte[]> contents() {
    List<byte[]> contents = new ArrayList<>();
    for (int socket = 1; socket <= socketCount(); socket++) {
      contents.add(bytes(socket));
    }
    return contents;
  }

  /** Every STATE in the order of the input messages. */
  public List<ExpectedState> states() {
    return states;
  }

  /**
   * The states a destination that commits every record it receives echoes: per stream (STREAM
   * states) or in all (GLOBAL states), the states in {@code id} order up to the first that is not
   * sent (a state is echoed only after every state of lower id). In the order of the input.
   */
  public List<ExpectedState> expectedEcho() {
    Map<StreamDescriptor, Boolean> blocked = new LinkedHashMap<>();
    boolean globalBlocked = false;
    List<ExpectedState> echoed = new ArrayList<>();
    for (ExpectedState state : states) {
      boolean scopeBlocked = state.stream() == null ? globalBlocked : blocked.getOrDefault(state.stream(), false);
      if (!scopeBlocked && state.sent()) {
        echoed.add(state);
        continue;
      }
      if (state.stream() == null) {
        globalBlocked = true;
      } else {
        blocked.put(state.stream(), true);
      }
    }
    return echoed;
  }

  /** The RECORD messages sent whole, socket by socket, as sent. */
  public List<ObjectNode> records() {
    List<ObjectNode> records = new ArrayList<>();
    for (List<Frame> socket : frames) {
      socket.stream().filter(f -> f.kind() == Kind.RECORD).forEach(f -> records.add(f.message()));
    }
    return records;
  }

  private int index(int socket) {
    if (socket < 1 || socket > frames.size()) {
      throw new IllegalArgumentException("socket " + socket + " is not one of 1.." + frames.size());
    }
    return socket - 1;
  }

  static JsonNode readTree(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Sets the sockets, the seed of the partition ids, probes and faults; builds from the messages. */
  public static final class Builder {
    private final ConfiguredCatalog catalog;
    private final DataChannel.Format format;
    private int sockets = 1;
    private long seed = 1;
    private int probeEvery;
    private final List<SocketFault> faults = new ArrayList<>();

    private Builder(ConfiguredCatalog catalog, DataChannel.Format format) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      this.format = Objects.requireNonNull(format, "format");
    }

    /** The number of sockets (1 by default). */
    public Builder sockets(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("A socket data channel has at least one socket: " + count);
      }
      this.sockets = count;
      return this;
    }

    /** The seed the partition ids are drawn from (the same seed gives the same ids). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * A probe after every {@code frames} frames of each socket (JSONL: an empty line; protobuf: a
     * probe message); 0 (the default) for none.
     */
    public Builder probeEvery(int frames) {
      if (frames < 0) {
        throw new IllegalArgumentException("probeEvery must be 0 (none) or positive: " + frames);
      }
      this.probeEvery = frames;
      return this;
    }

    /**
     * Adds a fault.
     *
     * @throws IllegalArgumentException when the fault cannot be written in this script's format
     */
    public Builder fault(SocketFault fault) {
      if (!fault.fits(format)) {
        throw new IllegalArgumentException(fault + " cannot be written in " + format);
      }
      faults.add(fault);
      return this;
    }

    /**
     * The script of the JSONL file {@code messages} (blank lines and lines starting with {@code //}
     * skipped).
     */
    public SocketScript build(Path messages) {
      List<String> lines;
      try {
        lines = Files.readAllLines(messages, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + messages + ": " + e.getMessage(), e);
      }
      List<JsonNode> parsed = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("//")) {
          continue;
        }
        try {
          parsed.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new IllegalArgumentException(messages + " line " + (i + 1) + " is not JSON: " + e.getMessage(), e);
        }
      }
      return build(parsed);
    }

    /**
     * The script of {@code messages}, in the order a STDIO source prints them.
     *
     * @throws IllegalArgumentException naming the message at fault: a message that is not RECORD,
     *     STATE or TRACE; a LEGACY state, or STREAM and GLOBAL states mixed (speed mode has
     *     neither); for protobuf, a record of a stream the catalog lacks; a fault whose socket,
     *     frame or state does not exist
     */
    public SocketScript build(List<? extends JsonNode> messages) {
      return new ScriptWriter(catalog, format, sockets, seed, probeEvery, faults).write(messages);
    }
  }

  /** The JSON line of a message, with its newline. */
  static byte[] line(JsonNode message) {
    return (MessageCodec.encode(message) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
