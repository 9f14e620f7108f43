package io.destkit.core.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.InputException;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.ChangeReason;
import io.destkit.core.typing.ChangeSink;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.ValueChange;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.RawId;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.ProtocolException;
import io.destkit.protocol.ProtocolMessage;
import io.destkit.protocol.StreamDescriptor;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.typing.AirbyteType;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses input lines. A RECORD's data is read straight into the stream's column layout, each value
 * coerced to its column's type on the way; no JSON tree or map is built for a record. Other
 * messages are rare and parsed into trees. Not thread-safe: one parser per reading thread.
 */
final class MessageParser {
  private final JsonFactory factory = MessageCodec.jsonFactory();
  private final DestinationCatalog catalog;
  private final StreamLayout[] layouts;
  /** Each stream's values of the record being read, reused from record to record. */
  private final Object[][] scratch;
  /** Stream name to catalog index, for names that occur in exactly one namespace. */
  private final Map<String, Integer> uniqueNames = new HashMap<>();
  private final RawIds rawIds;
  private final StringBuilder changes = new StringBuilder();
  private int nulled;
  /** The field whose value is being read, for changes a coercer reports through {@link #fieldChanges}. */
  private String currentField;
  private final ChangeSink fieldChanges = (change, reason) -> addChange(currentField, change, reason);
  private final ValueLimits limits;
  /** Each stream's column types, in column order. */
  private final AirbyteType[][] types;
  /** Each stream's column of the i-th property in name order (a protobuf record's values), or null when schemaless. */
  private final int[][] positional;
  /** Each stream's field names, in column order. */
  private final String[][] fields;

  MessageParser(DestinationCatalog catalog, TableCatalog tables, ValueLimits limits) {
    this(catalog, tables, limits, null);
  }

  /** A parser whose raw ids are all greater than {@code rawIdFloor} (null: from the current time). */
  MessageParser(DestinationCatalog catalog, TableCatalog tables, ValueLimits limits, RawId rawIdFloor) {
    this.rawIds = new RawIds(rawIdFloor);
    this.catalog = catalog;
    this.limits = limits != null ? limits : ValueLimits.NONE;
    this.layouts = new StreamLayout[catalog.size()];
    this.scratch = new Object[catalog.size()][];
    this.types = new AirbyteType[catalog.size()][];
    this.positional = new int[catalog.size()][];
    this.fields = new String[catalog.size()][];
    Map<String, Integer> nameCounts = new HashMap<>();
    for (int i = 0; i < catalog.size(); i++) {
      layouts[i] = new StreamLayout(tables.get(i), limits);
      scratch[i] = new Object[layouts[i].columnCount()];
      List<ColumnDef> columns = tables.get(i).columns();
      types[i] = columns.stream().map(ColumnDef::type).toArray(AirbyteType[]::new);
      fields[i] = columns.stream().map(ColumnDef::sourceName).toArray(String[]::new);
      if (!tables.get(i).stream().schemaless()) {
        Integer[] order = new Integer[columns.size()];
        for (int c = 0; c < order.length; c++) {
          order[c] = c;
        }
        String[] names = fields[i];
        java.util.Arrays.sort(order, java.util.Comparator.comparing(c -> names[c]));
        positional[i] = java.util.Arrays.stream(order).mapToInt(Integer::intValue).toArray();
      }
      String name = catalog.messageDescriptor(i).name();
      nameCounts.merge(name, 1, Integer::sum);
      uniqueNames.put(name, i);
    }
    nameCounts.forEach((name, count) -> {
      if (count > 1) {
        uniqueNames.remove(name);
      }
    });
  }

  /** Parses one line into {@code out}. Throws {@link InputException} naming the line when it is bad. */
  void parse(byte[] buffer, int offset, int length, long lineNumber, ParsedLine out) {
    out.reset();
    if (isBlank(buffer, offset, length)) {
      out.kind = ParsedLine.Kind.BLANK;
      return;
    }
    try (JsonParser parser = factory.createParser(buffer, offset, length)) {
      parseEnvelope(parser, buffer, offset, length, lineNumber, out);
    } catch (JsonProcessingException e) {
      throw new InputException(
          "Line " + lineNumber + " of the input is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InputException("Line " + lineNumber + " of the input cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Parses one protobuf {@code Message} of the socket data channel (the bytes after its length
   * prefix; see {@code io/destkit/protocol/speed-mode.proto}) into {@code out}: a record's values
   * straight into the stream's values array, as {@link #parse} does for a JSON line; an embedded JSON
   * message as {@link #parse} parses it; a probe as {@link ParsedLine.Kind#BLANK}. Throws {@link
   * InputException} naming the message ({@code where}, e.g. the socket and message number) when it is
   * bad.
   */
  void parseProtobuf(byte[] buffer, int offset, int length, String where, ParsedLine out) {
    out.reset();
    out.kind = ParsedLine.Kind.BLANK;
    try {
      CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
      for (int tag; (tag = in.readTag()) != 0; ) {
        int field = WireFormat.getTagFieldNumber(tag);
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED || field < 1 || field > 3) {
          in.skipField(tag);
          continue;
        }
        int size = in.readRawVarint32();
        int start = offset + in.getTotalBytesRead();
        in.skipRawBytes(size);
        switch (field) {
          case 1 -> parseProtobufRecord(buffer, start, size, where, out);
          case 2 -> parse(buffer, start, size, 0, out);
          default -> {
            out.reset();
            out.kind = ParsedLine.Kind.BLANK;
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new InputException(where + " is not a valid protobuf message: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InputException(where + " cannot be read: " + e.getMessage(), e);
    } catch (InputException e) {
      throw e.getMessage().startsWith("Line 0") ? new InputException(where + e.getMessage().substring(6), e) : e;
    }
  }

  private void parseProtobufRecord(byte[] buffer, int offset, int length, String where, ParsedLine out)
      throws IOException {
    String namespace = null;
    String stream = null;
    long emittedAt = Long.MIN_VALUE;
    String partitionId = null;
    ArrayNode sourceChanges = null;
    int streamIndex = -1;
    Object[] values = null;
    int value = 0;
    changes.setLength(0);
    nulled = 0;
    CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> namespace = in.readStringRequireUtf8();
        case 2 -> stream = in.readStringRequireUtf8();
        case 3 -> emittedAt = in.readUInt64();
        case 4 -> partitionId = in.readStringRequireUtf8();
        case 5 -> {
          if (values == null) {
            if (stream == null) {
              // Values before the stream's name: read the record again once the name is known.
              in.skipField(tag);
              continue;
            }
            streamIndex = protobufStream(namespace, stream, where);
            values = scratch[streamIndex];
            java.util.Arrays.fill(values, null);
          }
          readProtobufValue(in, streamIndex, value++, values, where);
        }
        case 6 -> sourceChanges = protobufChanges(in);
        default -> in.skipField(tag);
      }
    }
    if (stream == null) {
      throw new InputException(where + ": a record has no stream name.");
    }
    if (values == null) {
      streamIndex = protobufStream(namespace, stream, where);
      values = scratch[streamIndex];
      java.util.Arrays.fill(values, null);
      CodedInputStream again = CodedInputStream.newInstance(buffer, offset, length);
      for (int tag; (tag = again.readTag()) != 0; ) {
        if (WireFormat.getTagFieldNumber(tag) == 5) {
          readProtobufValue(again, streamIndex, value++, values, where);
        } else {
          again.skipField(tag);
        }
      }
    }
    rawIds.next();
    out.kind = ParsedLine.Kind.RECORD;
    out.streamIndex = streamIndex;
    out.nulledValues = nulled;
    out.rawIdHigh = rawIds.high();
    out.rawIdLow = rawIds.low();
    out.extractedAtMillis = emittedAt == Long.MIN_VALUE ? System.currentTimeMillis() : emittedAt;
    out.changes = changesJson(sourceChanges);
    out.partitionId = partitionId;
    out.values = values;
  }

  private int protobufStream(String namespace, String stream, String where) {
    StreamDescriptor descriptor = new StreamDescriptor(namespace == null || namespace.isEmpty() ? null : namespace, stream);
    int index = catalog.indexOf(descriptor);
    if (index < 0) {
      throw new InputException(where + ": a record for stream '" + descriptor + "', which is not in the catalog."
          + " Add the stream to the configured catalog or remove its records.");
    }
    if (positional[index] == null) {
      throw new InputException(where + ": a protobuf record of stream '" + descriptor + "', whose schema declares no"
          + " properties, so its positional values have no columns. Such a stream must be sent as JSON.");
    }
    return index;
  }

  /** The record's {@code value}-th value (a length-delimited {@code Value}), into its column. */
  private void readProtobufValue(CodedInputStream in, int streamIndex, int value, Object[] values, String where)
      throws IOException {
    int[] columns = positional[streamIndex];
    if (value >= columns.length) {
      throw new InputException(where + ": a record of stream '" + catalog.get(streamIndex).descriptor() + "' has more"
          + " values than the " + columns.length + " properties of the stream's schema: the source's schema"
          + " differs from the configured catalog's.");
    }
    int column = columns[value];
    int limit = in.pushLimit(in.readRawVarint32());
    currentField = fields[streamIndex][column];
    AirbyteType type = types[streamIndex][column];
    try {
      Object decoded = ProtobufValues.read(in, type);
      values[column] = decoded == null ? null : limits.apply(type, decoded, fieldChanges);
    } catch (CoercionFailure failure) {
      values[column] = null;
      addChange(currentField, ValueChange.NULLED, failure.reason());
    }
    in.skipRawBytes(in.getBytesUntilLimit());
    in.popLimit(limit);
  }

  /** The source's changes of a record's {@code Meta}, as the JSON of {@code _airbyte_meta.changes}. */
  private static ArrayNode protobufChanges(CodedInputStream in) throws IOException {
    ArrayNode array = MessageCodec.MAPPER.createArrayNode();
    int limit = in.pushLimit(in.readRawVarint32());
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) != 1) {
        in.skipField(tag);
        continue;
      }
      int change = in.pushLimit(in.readRawVarint32());
      String field = "";
      int type = 0;
      int reason = 0;
      for (int t; (t = in.readTag()) != 0; ) {
        switch (WireFormat.getTagFieldNumber(t)) {
          case 1 -> field = in.readStringRequireUtf8();
          case 2 -> type = in.readEnum();
          case 3 -> reason = in.readEnum();
          default -> in.skipField(t);
        }
      }
      in.popLimit(change);
      array.addObject().put("field", field)
          .put("change", type == 1 ? "TRUNCATED" : "NULLED")
          .put("reason", reason >= 0 && reason < PROTOBUF_REASONS.length ? PROTOBUF_REASONS[reason] : "SOURCE_RETRIEVAL_ERROR");
    }
    in.popLimit(limit);
    return array;
  }

  /** The reasons of a protobuf change, by their enum number. */
  private static final String[] PROTOBUF_REASONS = {
      "SOURCE_RECORD_SIZE_LIMITATION", "DESTINATION_RECORD_SIZE_LIMITATION", "PLATFORM_RECORD_SIZE_LIMITATION",
      "SOURCE_FIELD_SIZE_LIMITATION", "DESTINATION_FIELD_SIZE_LIMITATION", "PLATFORM_FIELD_SIZE_LIMITATION",
      "SOURCE_SERIALIZATION_ERROR", "DESTINATION_SERIALIZATION_ERROR", "PLATFORM_SERIALIZATION_ERROR",
      "SOURCE_RETRIEVAL_ERROR", "DESTINATION_TYPECAST_ERROR"};

  private void parseEnvelope(
      JsonParser parser, byte[] buffer, int offset, int length, long lineNumber, ParsedLine out)
      throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new InputException("Line " + lineNumber + " of the input is not a JSON object.");
    }
    String type = null;
    boolean recordSeen = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if ("type".equals(field)) {
        type = token == JsonToken.VALUE_STRING ? parser.getText() : null;
      } else if ("record".equals(field) && token == JsonToken.START_OBJECT) {
        parseRecord(parser, buffer, offset, lineNumber, out);
        recordSeen = true;
      } else {
        parser.skipChildren();
      }
    }
    if (parser.nextToken() != null) {
      throw new InputException("Line " + lineNumber + " of the input holds more than one JSON value.");
    }
    if (type == null) {
      throw new InputException("Line " + lineNumber + " of the input is a message without a 'type'.");
    }
    switch (type) {
      case "RECORD" -> {
        if (!recordSeen) {
          throw new InputException("Line " + lineNumber + ": a RECORD message has no 'record' object.");
        }
        out.kind = ParsedLine.Kind.RECORD;
      }
      case "STATE" -> {
        out.kind = ParsedLine.Kind.STATE;
        out.message = decodeWhole(buffer, offset, length, lineNumber).json();
      }
      case "TRACE" -> {
        out.message = decodeWhole(buffer, offset, length, lineNumber).json();
        out.kind =
            "STREAM_STATUS".equals(out.message.path("trace").path("type").asText())
                ? ParsedLine.Kind.STREAM_STATUS
                : ParsedLine.Kind.OTHER;
      }
      default -> {
        if (io.destkit.protocol.MessageType.fromWire(type) == null) {
          throw new InputException("Line " + lineNumber + " of the input has an unknown message type '" + type + "'.");
        }
        out.kind = ParsedLine.Kind.OTHER;
      }
    }
    if (out.kind != ParsedLine.Kind.RECORD) {
      out.values = null;
      out.streamIndex = -1;
    }
  }

  private static ProtocolMessage decodeWhole(byte[] buffer, int offset, int length, long lineNumber) {
    try {
      return MessageCodec.decode(buffer, offset, length);
    } catch (ProtocolException e) {
      throw new InputException("Line " + lineNumber + ": " + e.getMessage(), e);
    }
  }

  private void parseRecord(JsonParser parser, byte[] buffer, int offset, long lineNumber, ParsedLine out)
      throws IOException {
    String stream = null;
    String namespace = null;
    boolean namespaceSeen = false;
    long emittedAt = Long.MIN_VALUE;
    Object[] values = null;
    int parsedAs = -1;
    int dataStart = -1;
    int dataEnd = -1;
    JsonNode sourceChanges = null;
    String partitionId = null;
    changes.setLength(0);
    nulled = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (field) {
        case "stream" -> stream = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "partition_id" -> partitionId = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "namespace" -> {
          namespace = token == JsonToken.VALUE_STRING ? parser.getText() : null;
          namespaceSeen = true;
        }
        case "emitted_at" -> {
          if (token == JsonToken.VALUE_NUMBER_INT) {
            emittedAt = parser.getLongValue();
          } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            emittedAt = (long) parser.getDoubleValue();
          }
        }
        case "data" -> {
          if (token != JsonToken.START_OBJECT) {
            throw new InputException(
                "Line " + lineNumber + ": the record's 'data' must be a JSON object, not " + describe(token) + ".");
          }
          dataStart = (int) parser.currentTokenLocation().getByteOffset();
          int guess = stream == null ? -1 : guessStream(namespaceSeen, namespace, stream);
          if (guess >= 0) {
            values = readData(parser, guess);
            parsedAs = guess;
          } else {
            parser.skipChildren();
          }
          dataEnd = (int) parser.currentLocation().getByteOffset();
        }
        case "meta" -> {
          if (token == JsonToken.START_OBJECT) {
            sourceChanges = MessageCodec.MAPPER.<JsonNode>readTree(parser).get("changes");
          } else {
            parser.skipChildren();
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (stream == null) {
      throw new InputException("Line " + lineNumber + ": a RECORD message has no 'stream' name.");
    }
    int streamIndex = catalog.indexOf(new StreamDescriptor(namespace, stream));
    if (streamIndex < 0) {
      throw new InputException(
          "Line " + lineNumber + ": a record for stream '" + new StreamDescriptor(namespace, stream)
              + "', which is not in the catalog. Add the stream to the configured catalog or remove its records.");
    }
    if (dataStart < 0) {
      throw new InputException("Line " + lineNumber + ": a RECORD message has no 'data' object.");
    }
    if (parsedAs != streamIndex) {
      changes.setLength(0);
      nulled = 0;
      try (JsonParser again = factory.createParser(buffer, offset + dataStart, dataEnd - dataStart)) {
        again.nextToken();
        values = readData(again, streamIndex);
      }
    }
    rawIds.next();
    out.kind = ParsedLine.Kind.RECORD;
    out.streamIndex = streamIndex;
    out.nulledValues = nulled;
    out.rawIdHigh = rawIds.high();
    out.rawIdLow = rawIds.low();
    out.extractedAtMillis = emittedAt == Long.MIN_VALUE ? System.currentTimeMillis() : emittedAt;
    out.changes = changesJson(sourceChanges);
    out.partitionId = partitionId;
    out.values = values;
  }

  /** The stream a record probably belongs to when its data arrives before its envelope is complete. */
  private int guessStream(boolean namespaceSeen, String namespace, String stream) {
    if (namespaceSeen) {
      return catalog.indexOf(new StreamDescriptor(namespace, stream));
    }
    int index = catalog.indexOf(new StreamDescriptor(null, stream));
    if (index >= 0) {
      return index;
    }
    Integer unique = uniqueNames.get(stream);
    return unique == null ? -1 : unique;
  }

  /**
   * Reads the data object (the parser is on its START_OBJECT) into the stream's values array, which
   * is reused for the stream's next record.
   */
  private Object[] readData(JsonParser parser, int streamIndex) throws IOException {
    StreamLayout layout = layouts[streamIndex];
    Object[] values = scratch[streamIndex];
    java.util.Arrays.fill(values, null);
    if (layout.wholeRecord() != null) {
      currentField = io.destkit.core.catalog.MetaColumns.DATA;
      try {
        values[layout.wholeRecordIndex()] = layout.wholeRecord().read(parser, fieldChanges);
      } catch (CoercionFailure failure) {
        addChange(currentField, ValueChange.NULLED, failure.reason());
      }
      return values;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      StreamLayout.Slot slot = layout.slot(parser.currentName());
      JsonToken token = parser.nextToken();
      if (slot == null) {
        parser.skipChildren();
        continue;
      }
      if (token == JsonToken.VALUE_NULL) {
        values[slot.index()] = null;
        continue;
      }
      currentField = slot.field();
      try {
        values[slot.index()] = slot.coercer().read(parser, fieldChanges);
      } catch (CoercionFailure failure) {
        values[slot.index()] = null;
        addChange(currentField, ValueChange.NULLED, failure.reason());
      }
    }
    return values;
  }

  private void addChange(String field, ValueChange change, ChangeReason reason) {
    if (change == ValueChange.NULLED) {
      nulled++;
    }
    if (changes.length() > 0) {
      changes.append(',');
    }
    changes.append("{\"field\":\"");
    JsonStringEncoder.getInstance().quoteAsString(field, changes);
    changes.append("\",\"change\":\"").append(change.name())
        .append("\",\"reason\":\"").append(reason.name()).append("\"}");
  }

  /** The record's {@code _airbyte_meta.changes} array: the source's changes, then the destination's. */
  private String changesJson(JsonNode sourceChanges) {
    boolean hasSource = sourceChanges != null && sourceChanges.isArray() && !sourceChanges.isEmpty();
    if (!hasSource && changes.length() == 0) {
      return null;
    }
    StringBuilder json = new StringBuilder(64).append('[');
    if (hasSource) {
      boolean first = true;
      for (JsonNode change : sourceChanges) {
        if (!first) {
          json.append(',');
        }
        json.append(MessageCodec.encode(change));
        first = false;
      }
      if (changes.length() > 0) {
        json.append(',');
      }
    }
    return json.append(changes).append(']').toString();
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_NULL -> "null";
      case VALUE_STRING -> "a string";
      default -> token.isNumeric() ? "a number" : "a " + token.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static boolean isBlank(byte[] buffer, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = buffer[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
