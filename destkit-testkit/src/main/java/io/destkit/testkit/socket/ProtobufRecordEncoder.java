package io.destkit.testkit.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.ConfiguredStream;
import io.destkit.protocol.StreamDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes RECORD messages as speed mode's protobuf records ({@code Message.record}, see {@code
 * io/destkit/protocol/speed-mode.proto}), as the platform's source writes them: the values
 * positional, one per property of the stream's {@code json_schema.properties} in name order (Java
 * {@code String} order), every property sent (missing and null as {@code is_null}), each in the case
 * its property's type and format give (see {@link ValueEncoder} for values that are not typed as the
 * schema says); data fields the schema does not declare are not sent; the record's {@code
 * meta.changes} kept in {@code meta}.
 */
public final class ProtobufRecordEncoder {
  private static final String[] CHANGES = {"NULLED", "TRUNCATED"};
  private static final String[] REASONS = {
    "SOURCE_RECORD_SIZE_LIMITATION",
    "DESTINATION_RECORD_SIZE_LIMITATION",
    "PLATFORM_RECORD_SIZE_LIMITATION",
    "SOURCE_FIELD_SIZE_LIMITATION",
    "DESTINATION_FIELD_SIZE_LIMITATION",
    "PLATFORM_FIELD_SIZE_LIMITATION",
    "SOURCE_SERIALIZATION_ERROR",
    "DESTINATION_SERIALIZATION_ERROR",
    "PLATFORM_SERIALIZATION_ERROR",
    "SOURCE_RETRIEVAL_ERROR",
    "DESTINATION_TYPECAST_ERROR"
  };

  private record Columns(List<String> names, List<ColumnType> types) {}

  private final Map<StreamDescriptor, Columns> streams = new HashMap<>();

  /** An encoder for the streams of {@code catalog}. */
  public ProtobufRecordEncoder(ConfiguredCatalog catalog) {
    for (ConfiguredStream stream : catalog.streams()) {
      JsonNode properties = stream.jsonSchema().path("properties");
      List<String> names = new ArrayList<>();
      properties.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      List<ColumnType> types = names.stream().map(name -> ColumnType.of(properties.get(name))).toList();
      streams.put(stream.descriptor(), new Columns(List.copyOf(names), types));
    }
  }

  /**
   * The property names of a stream in the order its values are sent.
   *
   * @throws IllegalArgumentException when the catalog has no such stream
   */
  public List<String> columns(StreamDescriptor stream) {
    return columnsOf(stream, "stream " + stream).names();
  }

  /**
   * A top-level {@code Message} holding the record (without its length prefix).
   *
   * @param record the {@code record} object of a RECORD message
   * @param partitionId the partition the record belongs to
   * @param wrongCases columns whose values are sent in the given case instead of their own (a fault)
   * @param where names the message in errors (e.g. "message 12")
   * @throws IllegalArgumentException naming the message when its stream is not in the catalog or
   *     declares no properties, or when a change of its {@code meta} is not a protocol change
   */
  public byte[] encode(JsonNode record, String partitionId, Map<String, ValueCase> wrongCases, String where) {
    StreamDescriptor descriptor = descriptor(record);
    Columns columns = columnsOf(descriptor, where + " (stream " + descriptor + ")");
    if (columns.names().isEmpty()) {
      throw new IllegalArgumentException(where + ": stream " + descriptor + " declares no properties, so its records"
          + " have no positional values; the platform sends such streams over JSONL only");
    }
    JsonNode data = record.path("data");
    List<byte[]> values = new ArrayList<>(columns.names().size());
    for (int i = 0; i < columns.names().size(); i++) {
      String name = columns.names().get(i);
      ValueCase wrong = wrongCases.get(name);
      values.add(wrong != null
          ? ValueEncoder.encodeAs(wrong, data.get(name))
          : ValueEncoder.encode(columns.types().get(i), data.get(name)));
    }
    byte[] meta = record.path("meta").has("changes") ? meta(record.path("meta").path("changes"), where) : null;
    byte[] body = ValueEncoder.message(out -> {
      if (descriptor.namespace() != null) {
        out.writeString(1, descriptor.namespace());
      }
      out.writeString(2, descriptor.name());
      long emittedAt = record.path("emitted_at").asLong(0);
      if (emittedAt != 0) {
        out.writeUInt64(3, emittedAt);
      }
      if (!partitionId.isEmpty()) {
        out.writeString(4, partitionId);
      }
      for (byte[] value : values) {
        out.writeByteArray(5, value);
      }
      if (meta != null) {
        out.writeByteArray(6, meta);
      }
    });
    return ValueEncoder.message(out -> out.writeByteArray(1, body));
  }

  /** The stream of a {@code record} object. */
  static StreamDescriptor descriptor(JsonNode record) {
    JsonNode namespace = record.path("namespace");
    return new StreamDescriptor(namespace.isTextual() ? namespace.textValue() : null, record.path("stream").asText());
  }

  private Columns columnsOf(StreamDescriptor stream, String where) {
    Columns columns = streams.get(Objects.requireNonNull(stream, "stream"));
    if (columns == null) {
      throw new IllegalArgumentException(where + ": the catalog has no stream " + stream + " (its streams: "
          + streams.keySet() + "), so its values cannot be placed");
    }
    return columns;
  }

  private static byte[] meta(JsonNode changes, String where) {
    List<byte[]> encoded = new ArrayList<>();
    int index = 0;
    for (JsonNode change : changes) {
      String at = where + ": meta.changes[" + index++ + "]";
      int type = ordinal(CHANGES, change.path("change").asText(), at + ".change");
      int reason = ordinal(REASONS, change.path("reason").asText(), at + ".reason");
      String field = change.path("field").asText("");
      encoded.add(ValueEncoder.message(out -> {
        if (!field.isEmpty()) {
          out.writeString(1, field);
        }
        if (type != 0) {
          out.writeEnum(2, type);
        }
        if (reason != 0) {
          out.writeEnum(3, reason);
        }
      }));
    }
    return ValueEncoder.message(out -> {
      for (byte[] change : encoded) {
        out.writeByteArray(1, change);
      }
    });
  }

  private static int ordinal(String[] names, String name, String where) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(where + " is '" + name + "', not one of " + String.join(", ", names));
  }

  /** The bytes of a length-delimited frame: the varint length of {@code message}, then it. */
  public static byte[] delimited(byte[] message) {
    byte[] frame = new byte[CodedOutputStream.computeUInt32SizeNoTag(message.length) + message.length];
    CodedOutputStream out = CodedOutputStream.newInstance(frame);
    try {
      out.writeUInt32NoTag(message.length);
      out.writeRawBytes(message);
      out.checkNoSpaceLeft();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return frame;
  }

  /** A top-level {@code Message} holding an ordinary Airbyte message as JSON text (STATE, TRACE). */
  public static byte[] airbyteMessage(String json) {
    byte[] text = json.getBytes(StandardCharsets.UTF_8);
    return ValueEncoder.message(out -> out.writeByteArray(2, text));
  }

  /** A top-level {@code Message} holding a probe (an empty message). */
  public static byte[] probe() {
    return ValueEncoder.message(out -> out.writeByteArray(3, new byte[0]));
  }
}
