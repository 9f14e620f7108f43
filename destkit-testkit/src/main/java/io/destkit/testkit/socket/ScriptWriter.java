package io.destkit.testkit.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.DataChannel;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.socket.SocketScript.ExpectedState;
import io.destkit.testkit.socket.SocketScript.Frame;
import io.destkit.testkit.socket.SocketScript.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Writes a {@link SocketScript}: partitions, then each socket's frames, then probes and faults. */
final class ScriptWriter {
  private static final String ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int ID_LENGTH = 16;

  private enum Scope {
    STREAM,
    GLOBAL
  }

  /** The records of one state's scope, and the state (null when it never came). */
  private static final class Partition {
    final String id;
    final List<ObjectNode> records = new ArrayList<>();
    /** Each record's position in the input. */
    final List<Integer> recordIndexes = new ArrayList<>();
    ObjectNode state;
    int stateId;
    StreamDescriptor stream;
    int socket;

    Partition(String id) {
      this.id = id;
    }

    void add(ObjectNode record, int index) {
      records.add(record);
      recordIndexes.add(index);
    }
  }

  private final DataChannel.Format format;
  private final int sockets;
  private final Random random;
  private final int probeEvery;
  private final List<SocketFault> faults;
  private final ProtobufRecordEncoder encoder;
  private final Set<String> usedIds = new HashSet<>();

  ScriptWriter(
      ConfiguredCatalog catalog, DataChannel.Format format, int sockets, long seed, int probeEvery,
      List<SocketFault> faults) {
    this.format = format;
    this.sockets = sockets;
    this.random = new Random(seed);
    this.probeEvery = probeEvery;
    this.faults = List.copyOf(faults);
    this.encoder = new ProtobufRecordEncoder(catalog);
  }

  SocketScript write(List<? extends JsonNode> messages) {
    Scope scope = scope(messages);
    List<Partition> partitions = new ArrayList<>();
    Map<StreamDescriptor, Partition> openByStream = new LinkedHashMap<>();
    Partition openGlobal = null;
    Map<StreamDescriptor, Integer> streamIds = new HashMap<>();
    int globalIds = 0;
    List<ObjectNode> traces = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      ObjectNode message = object(messages.get(i), i);
      switch (message.path("type").asText()) {
        case "RECORD" -> {
          JsonNode record = message.path("record");
          if (!record.isObject()) {
            throw new IllegalArgumentException(where(i) + ": a RECORD without a 'record' object");
          }
          if (scope == Scope.GLOBAL) {
            if (openGlobal == null) {
              openGlobal = new Partition(partitionId());
            }
            openGlobal.add(message, i);
          } else {
            openByStream.computeIfAbsent(ProtobufRecordEncoder.descriptor(record), d -> new Partition(partitionId()))
                .add(message, i);
          }
        }
        case "STATE" -> {
          Partition partition;
          if (scope == Scope.GLOBAL) {
            partition = openGlobal != null ? openGlobal : new Partition(partitionId());
            openGlobal = null;
            partition.stateId = ++globalIds;
          } else {
            StreamDescriptor stream = stateStream(message, i);
            Partition open = openByStream.remove(stream);
            partition = open != null ? open : new Partition(partitionId());
            partition.stream = stream;
            partition.stateId = streamIds.merge(stream, 1, Integer::sum);
          }
          partition.state = message;
          partitions.add(partition);
        }
        case "TRACE" -> traces.add(message);
        default -> throw new IllegalArgumentException(where(i) + ": a " + message.path("type").asText("message without"
            + " a type") + "; a source's sockets carry RECORD, STATE and TRACE messages only");
      }
    }
    // Records whose state never came: their partitions go last.
    partitions.addAll(openByStream.values());
    if (openGlobal != null) {
      partitions.add(openGlobal);
    }

    List<List<Frame>> frames = new ArrayList<>();
    for (int s = 0; s < sockets; s++) {
      frames.add(new ArrayList<>());
    }
    checkWrongCases();
    List<ExpectedState> states = new ArrayList<>();
    Map<Partition, ObjectNode> sentStates = new HashMap<>();
    for (int p = 0; p < partitions.size(); p++) {
      Partition partition = partitions.get(p);
      partition.socket = p % sockets + 1;
      List<Frame> socket = frames.get(partition.socket - 1);
      for (int r = 0; r < partition.records.size(); r++) {
        socket.add(recordFrame(partition.records.get(r), partition.id, partition.recordIndexes.get(r)));
      }
      if (partition.state != null) {
        ObjectNode state = partition.state.deepCopy();
        ObjectNode body = (ObjectNode) state.path("state");
        body.put("id", partition.stateId);
        body.put("partition_id", partition.id);
        ObjectNode stats = body.path("sourceStats").isObject()
            ? (ObjectNode) body.get("sourceStats")
            : body.putObject("sourceStats");
        // A number with a decimal point, as the protocol wants recordCount (a double).
        stats.put("recordCount", BigDecimal.valueOf(partition.records.size()).setScale(1));
        socket.add(new Frame(Kind.STATE, partition.id, state, control(state)));
        sentStates.put(partition, state);
      }
    }
    for (ObjectNode trace : traces) {
      frames.get(0).add(new Frame(Kind.TRACE, null, trace, control(trace)));
    }
    if (probeEvery > 0) {
      for (List<Frame> socket : frames) {
        addProbes(socket);
      }
    }
    applyFaults(frames);

    // States in input order (the order their partitions closed), each marked sent when its frame is
    // still whole on its socket.
    for (Partition partition : partitions.stream().filter(p -> p.state != null).toList()) {
      ObjectNode sent = sentStates.get(partition);
      boolean whole = frames.get(partition.socket - 1).stream().anyMatch(f -> f.message() == sent);
      states.add(new ExpectedState(partition.stateId, partition.stream, partition.id, partition.records.size(),
          partition.socket, sent, whole));
    }
    return new SocketScript(format, frames, states);
  }

  /** A wrong case names a column the encoder sends: else it would change nothing, silently. */
  private void checkWrongCases() {
    for (SocketFault fault : faults) {
      if (fault instanceof SocketFault.WrongCase w && !encoder.columns(w.stream()).contains(w.column())) {
        throw new IllegalArgumentException(fault + ": stream " + w.stream() + " has no property '" + w.column()
            + "' (its properties: " + encoder.columns(w.stream()) + ")");
      }
    }
  }

  private Frame recordFrame(ObjectNode message, String partitionId, int index) {
    ObjectNode sent = message.deepCopy();
    ((ObjectNode) sent.get("record")).put("partition_id", partitionId);
    if (format == DataChannel.Format.JSONL) {
      return new Frame(Kind.RECORD, partitionId, sent, SocketScript.line(sent));
    }
    JsonNode record = message.get("record");
    Map<String, ValueCase> wrong = new HashMap<>();
    StreamDescriptor stream = ProtobufRecordEncoder.descriptor(record);
    for (SocketFault fault : faults) {
      if (fault instanceof SocketFault.WrongCase w && w.stream().equals(stream)) {
        wrong.put(w.column(), w.valueCase());
      }
    }
    byte[] encoded = encoder.encode(record, partitionId, wrong, where(index));
    return new Frame(Kind.RECORD, partitionId, sent, ProtobufRecordEncoder.delimited(encoded));
  }

  /** A STATE or TRACE: a JSON line, or protobuf's embedded Airbyte message. */
  private byte[] control(ObjectNode message) {
    if (format == DataChannel.Format.JSONL) {
      return SocketScript.line(message);
    }
    return ProtobufRecordEncoder.delimited(ProtobufRecordEncoder.airbyteMessage(MessageCodec.encode(message)));
  }

  private void addProbes(List<Frame> socket) {
    byte[] probe = format == DataChannel.Format.JSONL
        ? new byte[] {'\n'}
        : ProtobufRecordEncoder.delimited(ProtobufRecordEncoder.probe());
    List<Frame> with = new ArrayList<>();
    for (int i = 0; i < socket.size(); i++) {
      with.add(socket.get(i));
      if ((i + 1) % probeEvery == 0) {
        with.add(new Frame(Kind.PROBE, null, null, probe));
      }
    }
    socket.clear();
    socket.addAll(with);
  }

  /**
   * Insertions first, from the last position back (so positions count the frames before faults),
   * then the one cut a socket may have.
   */
  private void applyFaults(List<List<Frame>> frames) {
    for (SocketFault fault : faults) {
      if (fault.socket() > sockets) {
        throw new IllegalArgumentException(fault + ": the script has " + sockets + " socket(s)");
      }
    }
    List<SocketFault.Inserted> insertions = faults.stream()
        .filter(SocketFault.Inserted.class::isInstance).map(SocketFault.Inserted.class::cast)
        .sorted(Comparator.comparingInt(SocketFault.Inserted::afterFrame).reversed()).toList();
    for (SocketFault.Inserted insertion : insertions) {
      List<Frame> socket = frames.get(insertion.socket() - 1);
      if (insertion.afterFrame() > socket.size()) {
        throw new IllegalArgumentException(insertion + ": socket " + insertion.socket() + " has " + socket.size()
            + " frame(s)");
      }
      socket.add(insertion.afterFrame(), new Frame(Kind.FAULT, null, null, insertion.insertion().bytes()));
    }
    Set<Integer> cut = new HashSet<>();
    for (SocketFault fault : faults) {
      if (fault instanceof SocketFault.CloseMidFrame || fault instanceof SocketFault.CloseBeforeState) {
        if (!cut.add(fault.socket())) {
          throw new IllegalArgumentException(fault + ": socket " + fault.socket() + " already closes early");
        }
        List<Frame> socket = frames.get(fault.socket() - 1);
        if (fault instanceof SocketFault.CloseMidFrame mid) {
          closeMidFrame(socket, mid);
        } else {
          closeBeforeState(socket, (SocketFault.CloseBeforeState) fault);
        }
      }
    }
  }

  private static void closeMidFrame(List<Frame> socket, SocketFault.CloseMidFrame fault) {
    int frame = fault.frame() == -1 ? socket.size() : fault.frame();
    if (frame < 1 || frame > socket.size()) {
      throw new IllegalArgumentException(fault + ": socket " + fault.socket() + " has " + socket.size() + " frame(s)");
    }
    Frame whole = socket.get(frame - 1);
    byte[] half = Arrays.copyOf(whole.bytes(), Math.max(1, whole.bytes().length / 2));
    socket.subList(frame - 1, socket.size()).clear();
    socket.add(new Frame(Kind.FAULT, whole.partitionId(), null, half));
  }

  private static void closeBeforeState(List<Frame> socket, SocketFault.CloseBeforeState fault) {
    int seen = 0;
    for (int i = 0; i < socket.size(); i++) {
      if (socket.get(i).kind() == Kind.STATE && ++seen == fault.state()) {
        socket.subList(i, socket.size()).clear();
        return;
      }
    }
    throw new IllegalArgumentException(fault + ": socket " + fault.socket() + " sends " + seen + " state(s)");
  }

  private Scope scope(List<? extends JsonNode> messages) {
    Scope scope = null;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      if (!"STATE".equals(message.path("type").asText())) {
        continue;
      }
      String type = message.path("state").path("type").asText("");
      Scope found = switch (type) {
        case "STREAM" -> Scope.STREAM;
        case "GLOBAL" -> Scope.GLOBAL;
        default -> throw new IllegalArgumentException(where(i) + ": a state of type '" + type + "' (no type is"
            + " LEGACY); speed mode sends STREAM or GLOBAL states only");
      };
      if (scope != null && scope != found) {
        throw new IllegalArgumentException(where(i) + ": a " + type + " state after " + scope + " states; a sync"
            + " sends states of one type");
      }
      scope = found;
    }
    return scope == null ? Scope.STREAM : scope;
  }

  private static StreamDescriptor stateStream(JsonNode message, int index) {
    JsonNode descriptor = message.path("state").path("stream").path("stream_descriptor");
    if (!descriptor.path("name").isTextual()) {
      throw new IllegalArgumentException(where(index) + ": a STREAM state without stream.stream_descriptor.name");
    }
    JsonNode namespace = descriptor.path("namespace");
    return new StreamDescriptor(namespace.isTextual() ? namespace.textValue() : null, descriptor.path("name").asText());
  }

  private static ObjectNode object(JsonNode message, int index) {
    if (message == null || !message.isObject()) {
      throw new IllegalArgumentException(where(index) + " is not a JSON object");
    }
    return (ObjectNode) message;
  }

  private static String where(int index) {
    return "message " + (index + 1);
  }

  /** A random-looking id, unique in the script. */
  private String partitionId() {
    while (true) {
      StringBuilder id = new StringBuilder(ID_LENGTH);
      for (int i = 0; i < ID_LENGTH; i++) {
        id.append(ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length())));
      }
      if (usedIds.add(id.toString())) {
        return id.toString();
      }
    }
  }
}
