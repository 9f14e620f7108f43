package io.destkit.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.destkit.core.InputException;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.naming.TestRules;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.ValueLimits;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protobuf records of the socket data channel decode straight into a stream's values: positional
 * values in property-name order, every value case, NULL in its three forms, a case that does not fit
 * its column nulled with a change, the source's changes kept, the partition id, embedded JSON
 * messages, probes, and bad messages refused naming where they came from. The messages are encoded
 * here by hand from {@code io/destkit/protocol/speed-mode.proto}.
 */
class ProtobufRecordsTest {
  /** Properties in schema order; positional values follow their sorted order. */
  private static final String SCHEMA = """
      {"type": "object", "properties": {
        "name": {"type": "string"},
        "id": {"type": "integer"},
        "score": {"type": "number"},
        "active": {"type": "boolean"},
        "born": {"type": "string", "format": "date"},
        "wakes": {"type": "string", "format": "time", "airbyte_type": "time_with_timezone"},
        "lunch": {"type": "string", "format": "time", "airbyte_type": "time_without_timezone"},
        "updated": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
        "local": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_without_timezone"},
        "address": {"type": "object", "properties": {"city": {"type": "string"}}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "any": {}}}""";
  /** The properties sorted by name: the order of a record's values. */
  private static final List<String> SORTED =
      List.of("active", "address", "any", "born", "id", "local", "lunch", "name", "score", "tags", "updated", "wakes");

  private MessageParser parser;
  private final ParsedLine out = new ParsedLine();

  @BeforeEach
  void parser() throws IOException {
    String json = "{\"streams\":[{\"stream\":{\"name\":\"users\",\"namespace\":\"shop\",\"json_schema\":" + SCHEMA
        + "},\"destination_sync_mode\":\"append\"}]}";
    DestinationCatalog catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(MessageCodec.MAPPER.readTree(json)));
    TableCatalog tables = TableCatalog.build(catalog, new NamingPolicy(TestRules.lowerCase255(), "main", null));
    parser = new MessageParser(catalog, tables, ValueLimits.NONE);
  }

  @Test
  void everyValueCaseLandsInItsColumn() throws Exception {
    byte[] message = message(record("shop", "users", 1700000000123L, "p-1", values(
        v -> v.writeBool(1, true),
        v -> v.writeByteArray(12, "{\"city\": \"Rome\"}".getBytes(StandardCharsets.UTF_8)),
        v -> v.writeSInt64(3, 42),
        v -> v.writeSInt64(7, LocalDate.of(2000, 2, 29).toEpochDay()),
        v -> v.writeSInt64(3, -9_000_000_000L),
        v -> v.writeByteArray(11, localTimestamp(LocalDate.of(2024, 7, 1).toEpochDay(), 34_200_000_000_000L)),
        v -> v.writeUInt64(9, 45_000_000_000_000L),
        v -> v.writeString(2, "Ann ✓"),
        v -> v.writeString(6, "12345678901234567890.123456789"),
        v -> v.writeByteArray(12, "[\"a\", \"b\"]".getBytes(StandardCharsets.UTF_8)),
        v -> v.writeByteArray(10, timestampWithOffset(1_719_792_000L, 500_000_000, 7200)),
        v -> v.writeByteArray(8, timeWithOffset(29_700_000_000_000L, -3600))), null));

    parser.parseProtobuf(message, 0, message.length, "socket 1, message 1", out);

    assertThat(out.kind).isEqualTo(ParsedLine.Kind.RECORD);
    assertThat(out.partitionId).isEqualTo("p-1");
    assertThat(out.extractedAtMillis).isEqualTo(1700000000123L);
    assertThat(out.changes).isNull();
    assertThat(value("active")).isEqualTo(true);
    assertThat(value("address")).isEqualTo("{\"city\": \"Rome\"}");
    assertThat(value("any")).isEqualTo("42");
    assertThat(value("born")).isEqualTo(LocalDate.of(2000, 2, 29));
    assertThat(value("id")).isEqualTo(-9_000_000_000L);
    assertThat(value("local")).isEqualTo(LocalDateTime.of(2024, 7, 1, 9, 30));
    assertThat(value("lunch")).isEqualTo(LocalTime.of(12, 30));
    assertThat(value("name")).isEqualTo("Ann ✓");
    assertThat(value("score")).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
    assertThat(value("tags")).isEqualTo("[\"a\", \"b\"]");
    assertThat(value("updated")).isEqualTo(OffsetDateTime.of(2024, 7, 1, 2, 0, 0, 500_000_000, ZoneOffset.ofHours(2)));
    assertThat(value("wakes")).isEqualTo(OffsetTime.of(8, 15, 0, 0, ZoneOffset.ofHours(-1)));
  }

  @Test
  void nullIsIsNullNoCaseOrAnUnknownCaseAndRecordsNoChange() throws Exception {
    List<Field> values = new ArrayList<>();
    for (int i = 0; i < SORTED.size(); i++) {
      int kind = i % 3;
      values.add(v -> {
        if (kind == 0) {
          v.writeBool(13, true);
        } else if (kind == 2) {
          v.writeSInt64(20, 7);
        }
      });
    }
    byte[] message = message(record("shop", "users", 1, null, encoded(values), null));

    parser.parseProtobuf(message, 0, message.length, "socket 1, message 2", out);

    assertThat(out.values).containsOnlyNulls();
    assertThat(out.changes).isNull();
    assertThat(out.nulledValues).isZero();
  }

  @Test
  void aCaseThatDoesNotFitItsColumnIsNulledWithASerializationErrorBesideTheSourcesChanges() throws Exception {
    List<Field> values = nulls();
    values.set(SORTED.indexOf("updated"), v -> write(() -> v.writeString(6, "1.5")));
    values.set(SORTED.indexOf("id"), v -> write(() -> v.writeString(4, "123456789012345678901234567890")));
    values.set(SORTED.indexOf("score"), v -> write(() -> v.writeString(4, "123456789012345678901234567890")));
    values.set(SORTED.indexOf("address"), v -> write(() -> v.writeByteArray(12, "[1]".getBytes(StandardCharsets.UTF_8))));
    byte[] meta = meta("name", 1, 3);
    byte[] message = message(record("shop", "users", 1, "p-2", encoded(values), meta));

    parser.parseProtobuf(message, 0, message.length, "socket 2, message 9", out);

    assertThat(value("updated")).isNull();
    assertThat(value("id")).isNull();
    assertThat(value("score")).isEqualTo(new BigDecimal("123456789012345678901234567890"));
    assertThat(value("address")).isNull();
    assertThat(out.nulledValues).isEqualTo(3);
    assertThat(MessageCodec.MAPPER.readTree(out.changes)).isEqualTo(MessageCodec.MAPPER.readTree("""
        [{"field": "name", "change": "TRUNCATED", "reason": "SOURCE_FIELD_SIZE_LIMITATION"},
         {"field": "address", "change": "NULLED", "reason": "DESTINATION_SERIALIZATION_ERROR"},
         {"field": "id", "change": "NULLED", "reason": "DESTINATION_FIELD_SIZE_LIMITATION"},
         {"field": "updated", "change": "NULLED", "reason": "DESTINATION_SERIALIZATION_ERROR"}]"""));
  }

  @Test
  void valuesBeforeTheStreamsNameAreReadOnceTheNameIsKnown() throws Exception {
    List<Field> values = nulls();
    values.set(SORTED.indexOf("id"), v -> write(() -> v.writeSInt64(3, 5)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream record = CodedOutputStream.newInstance(bytes);
    for (byte[] value : encoded(values)) {
      record.writeByteArray(5, value);
    }
    record.writeString(2, "users");
    record.writeString(1, "shop");
    record.flush();
    byte[] message = message(bytes.toByteArray());

    parser.parseProtobuf(message, 0, message.length, "socket 1, message 3", out);

    assertThat(out.kind).isEqualTo(ParsedLine.Kind.RECORD);
    assertThat(value("id")).isEqualTo(5L);
  }

  @Test
  void anEmbeddedJsonMessageAndAProbeAreReadAsOnStdio() throws Exception {
    byte[] state = wrap(2, ("{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"partition_id\":\"p-1\",\"id\":1,"
        + "\"stream\":{\"stream_descriptor\":{\"name\":\"users\",\"namespace\":\"shop\"},\"stream_state\":{}}}}")
        .getBytes(StandardCharsets.UTF_8));
    parser.parseProtobuf(state, 0, state.length, "socket 1, message 4", out);
    assertThat(out.kind).isEqualTo(ParsedLine.Kind.STATE);
    assertThat(out.message.path("state").path("partition_id").asText()).isEqualTo("p-1");

    byte[] probe = wrap(3, new byte[0]);
    parser.parseProtobuf(probe, 0, probe.length, "socket 1, message 5", out);
    assertThat(out.kind).isEqualTo(ParsedLine.Kind.BLANK);
  }

  @Test
  void badMessagesAreRefusedNamingWhereTheyCameFrom() throws Exception {
    byte[] truncated = message(record("shop", "users", 1, null, encoded(nulls()), null));
    assertThatThrownBy(() -> parser.parseProtobuf(truncated, 0, truncated.length - 3, "socket 3, message 7", out))
        .isInstanceOf(InputException.class).hasMessageContaining("socket 3, message 7");

    byte[] unknown = message(record("shop", "orders", 1, null, encoded(nulls()), null));
    assertThatThrownBy(() -> parser.parseProtobuf(unknown, 0, unknown.length, "socket 1, message 8", out))
        .isInstanceOf(InputException.class).hasMessageContaining("socket 1, message 8")
        .hasMessageContaining("'shop.orders'").hasMessageContaining("not in the catalog");

    List<Field> tooMany = nulls();
    tooMany.add(v -> write(() -> v.writeSInt64(3, 1)));
    byte[] extra = message(record("shop", "users", 1, null, encoded(tooMany), null));
    assertThatThrownBy(() -> parser.parseProtobuf(extra, 0, extra.length, "socket 1, message 9", out))
        .isInstanceOf(InputException.class).hasMessageContaining("more values than the 12 properties");

    byte[] badJson = wrap(2, "{\"type\":".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> parser.parseProtobuf(badJson, 0, badJson.length, "socket 2, message 1", out))
        .isInstanceOf(InputException.class).hasMessageStartingWith("socket 2, message 1");
  }

  // ---- the values and the hand-written encoder

  private Object value(String property) {
    return out.values[columnOf(property)];
  }

  /** The column of a property: the schema's order (the catalog's columns). */
  private static int columnOf(String property) {
    return List.of("name", "id", "score", "active", "born", "wakes", "lunch", "updated", "local", "address", "tags", "any")
        .indexOf(property);
  }

  private interface Write {
    void run() throws IOException;
  }

  /** Writes fields of a message. */
  private interface Field {
    void accept(CodedOutputStream out) throws IOException;
  }

  private static void write(Write write) {
    try {
      write.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Field> nulls() {
    List<Field> values = new ArrayList<>();
    for (int i = 0; i < SORTED.size(); i++) {
      values.add(v -> write(() -> v.writeBool(13, true)));
    }
    return values;
  }

  @SafeVarargs
  private static List<byte[]> values(Field... values) {
    return encoded(List.of(values));
  }

  private static List<byte[]> encoded(List<Field> values) {
    List<byte[]> encoded = new ArrayList<>();
    for (Field value : values) {
      encoded.add(bytes(value));
    }
    return encoded;
  }

  private static byte[] bytes(Field writes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    write(() -> writes.accept(out));
    write(out::flush);
    return bytes.toByteArray();
  }

  private static byte[] record(String namespace, String stream, long emittedAt, String partition, List<byte[]> values,
      byte[] meta) {
    return bytes(out -> write(() -> {
      out.writeString(1, namespace);
      out.writeString(2, stream);
      out.writeUInt64(3, emittedAt);
      if (partition != null) {
        out.writeString(4, partition);
      }
      for (byte[] value : values) {
        out.writeByteArray(5, value);
      }
      if (meta != null) {
        out.writeByteArray(6, meta);
      }
    }));
  }

  private static byte[] message(byte[] record) {
    return wrap(1, record);
  }

  private static byte[] wrap(int field, byte[] payload) {
    return bytes(out -> write(() -> out.writeByteArray(field, payload)));
  }

  private static byte[] meta(String field, int change, int reason) {
    byte[] entry = bytes(out -> write(() -> {
      out.writeString(1, field);
      out.writeEnum(2, change);
      out.writeEnum(3, reason);
    }));
    return bytes(out -> write(() -> out.writeByteArray(1, entry)));
  }

  private static byte[] localTimestamp(long epochDay, long nanosOfDay) {
    return bytes(out -> write(() -> {
      out.writeSInt64(1, epochDay);
      out.writeUInt64(2, nanosOfDay);
    }));
  }

  private static byte[] timeWithOffset(long nanosOfDay, int offsetSeconds) {
    return bytes(out -> write(() -> {
      out.writeUInt64(1, nanosOfDay);
      out.writeSInt32(2, offsetSeconds);
    }));
  }

  private static byte[] timestampWithOffset(long epochSecond, int nano, int offsetSeconds) {
    return bytes(out -> write(() -> {
      out.writeSInt64(1, epochSecond);
      out.writeUInt32(2, nano);
      out.writeSInt32(3, offsetSeconds);
    }));
  }
}
