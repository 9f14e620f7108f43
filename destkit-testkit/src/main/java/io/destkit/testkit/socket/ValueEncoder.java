package io.destkit.testkit.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;
import io.destkit.protocol.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Locale;
import java.util.Optional;

/**
 * Encodes one JSON value of a record as a protobuf {@code Value} message, in the case its column's
 * type gives (speed mode's value encoding), or in a case given (a fault).
 *
 * <p>The JSON messages a test feeds in are not always typed as a source's values are: a value the
 * column's type can hold in another spelling is converted as the destination's JSON path reads it
 * (a numeric string for a number, {@code "true"} for a boolean, a date-time for a date, a number
 * or an object for a string as its JSON text, an offset on a timestamp without zone dropped), so
 * that the same messages give the same rows over JSONL and protobuf. A value the type cannot hold
 * (a malformed date, an object for a boolean) is sent in the case of its JSON kind (text as {@code
 * string}, numbers as {@code integer}/{@code number} or their big forms, booleans, objects and
 * arrays as {@code json}), which the destination must null as a serialization error, as its JSON
 * path does.
 */
final class ValueEncoder {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  /** Numbers with a longer text (or exponent) are not converted: Jackson's limit for JSON numbers. */
  private static final int MAX_NUMBER_LENGTH = 1000;

  private ValueEncoder() {}

  /** The {@code Value} of a JSON value (null or missing: {@code is_null}) for a column of {@code type}. */
  static byte[] encode(ColumnType type, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return nullValue();
    }
    return typed(type, value).orElseGet(() -> byKind(value));
  }

  /**
   * The {@code Value} in the case given, whatever the column's type: text cases hold the value's
   * text ({@code json} its JSON), other cases a fixed value of theirs (true, 1, 1.0, day 1,
   * nanosecond 1, epoch second 1). Null stays {@code is_null}.
   */
  static byte[] encodeAs(ValueCase valueCase, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return nullValue();
    }
    String text = value.isTextual() ? value.textValue() : MessageCodec.encode(value);
    return switch (valueCase) {
      case STRING, BIG_INTEGER, BIG_DECIMAL -> message(out -> out.writeString(valueCase.field(), text));
      case JSON -> json(value);
      case BOOLEAN -> message(out -> out.writeBool(valueCase.field(), true));
      case INTEGER, DATE -> message(out -> out.writeSInt64(valueCase.field(), 1));
      case NUMBER -> message(out -> out.writeDouble(valueCase.field(), 1.0));
      case TIME_WITHOUT_TIMEZONE -> message(out -> out.writeUInt64(valueCase.field(), 1));
      case TIME_WITH_TIMEZONE, TIMESTAMP_WITH_TIMEZONE, TIMESTAMP_WITHOUT_TIMEZONE ->
          message(out -> out.writeByteArray(valueCase.field(), message(inner -> inner.writeSInt64(1, 1))));
    };
  }

  static byte[] nullValue() {
    return message(out -> out.writeBool(ValueCase.IS_NULL_FIELD, true));
  }

  private static Optional<byte[]> typed(ColumnType type, JsonNode value) {
    String text = value.isTextual() ? value.textValue() : null;
    switch (type) {
      case BOOLEAN -> {
        if (value.isBoolean()) {
          return Optional.of(bool(value.booleanValue()));
        }
        if (text != null && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
          return Optional.of(bool(text.toLowerCase(Locale.ROOT).equals("true")));
        }
        return Optional.empty();
      }
      case STRING, BINARY -> {
        String string = text != null ? text : MessageCodec.encode(value);
        return Optional.of(message(out -> out.writeString(ValueCase.STRING.field(), string)));
      }
      case INTEGER -> {
        return decimal(value).filter(ValueEncoder::isIntegral).map(n -> integer(n.toBigIntegerExact()));
      }
      case NUMBER -> {
        return decimal(value).map(ValueEncoder::number);
      }
      case DATE -> {
        return textual(text).flatMap(TemporalText::date)
            .map(date -> message(out -> out.writeSInt64(ValueCase.DATE.field(), date.toEpochDay())));
      }
      case TIME_WITHOUT_TIMEZONE -> {
        return textual(text).flatMap(TemporalText::localTime).map(ValueEncoder::localTime);
      }
      case TIME_WITH_TIMEZONE -> {
        return textual(text).flatMap(TemporalText::offsetTime).map(ValueEncoder::offsetTime);
      }
      case TIMESTAMP_WITHOUT_TIMEZONE -> {
        return textual(text).flatMap(TemporalText::localDateTime).map(ValueEncoder::localDateTime);
      }
      case TIMESTAMP_WITH_TIMEZONE -> {
        return textual(text).flatMap(TemporalText::dateTime).map(ValueEncoder::offsetDateTime);
      }
      default -> {
        return Optional.of(json(value));
      }
    }
  }

  /** The case of the value's JSON kind. */
  private static byte[] byKind(JsonNode value) {
    if (value.isTextual()) {
      return message(out -> out.writeString(ValueCase.STRING.field(), value.textValue()));
    }
    if (value.isBoolean()) {
      return bool(value.booleanValue());
    }
    if (value.isNumber()) {
      BigDecimal n = value.decimalValue();
      return isIntegral(n) ? integer(n.toBigIntegerExact()) : number(n);
    }
    return json(value);
  }

  private static Optional<String> textual(String text) {
    return Optional.ofNullable(text);
  }

  private static Optional<BigDecimal> decimal(JsonNode value) {
    if (value.isNumber()) {
      return Optional.of(value.decimalValue());
    }
    if (value.isTextual() && value.textValue().length() <= MAX_NUMBER_LENGTH) {
      try {
        return Optional.of(new BigDecimal(value.textValue().trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static boolean isIntegral(BigDecimal n) {
    return Math.abs((long) n.scale()) <= MAX_NUMBER_LENGTH
        && (n.signum() == 0 || n.stripTrailingZeros().scale() <= 0);
  }

  private static byte[] bool(boolean b) {
    return message(out -> out.writeBool(ValueCase.BOOLEAN.field(), b));
  }

  /** {@code integer} when it fits 64 bits, else {@code big_integer} as decimal text. */
  private static byte[] integer(BigInteger n) {
    if (n.compareTo(LONG_MIN) >= 0 && n.compareTo(LONG_MAX) <= 0) {
      return message(out -> out.writeSInt64(ValueCase.INTEGER.field(), n.longValueExact()));
    }
    return message(out -> out.writeString(ValueCase.BIG_INTEGER.field(), n.toString()));
  }

  /** {@code number} when a double holds it exactly (its shortest text is the same number), else {@code big_decimal}. */
  private static byte[] number(BigDecimal n) {
    double d = n.doubleValue();
    if (!Double.isInfinite(d) && BigDecimal.valueOf(d).compareTo(n) == 0) {
      return message(out -> out.writeDouble(ValueCase.NUMBER.field(), d));
    }
    if (Math.abs((long) n.scale()) > MAX_NUMBER_LENGTH) {
      // The plain text of 1e999999999 would not fit in memory: keep its scientific form.
      return message(out -> out.writeString(ValueCase.BIG_DECIMAL.field(), n.toString()));
    }
    return message(out -> out.writeString(ValueCase.BIG_DECIMAL.field(), n.toPlainString()));
  }

  private static byte[] localTime(LocalTime time) {
    return message(out -> out.writeUInt64(ValueCase.TIME_WITHOUT_TIMEZONE.field(), time.toNanoOfDay()));
  }

  private static byte[] offsetTime(OffsetTime time) {
    byte[] inner = message(out -> {
      writeUInt64(out, 1, time.toLocalTime().toNanoOfDay());
      writeSInt32(out, 2, time.getOffset().getTotalSeconds());
    });
    return message(out -> out.writeByteArray(ValueCase.TIME_WITH_TIMEZONE.field(), inner));
  }

  private static byte[] localDateTime(LocalDateTime timestamp) {
    byte[] inner = message(out -> {
      writeSInt64(out, 1, timestamp.toLocalDate().toEpochDay());
      writeUInt64(out, 2, timestamp.toLocalTime().toNanoOfDay());
    });
    return message(out -> out.writeByteArray(ValueCase.TIMESTAMP_WITHOUT_TIMEZONE.field(), inner));
  }

  private static byte[] offsetDateTime(OffsetDateTime timestamp) {
    byte[] inner = message(out -> {
      writeSInt64(out, 1, timestamp.toEpochSecond());
      if (timestamp.getNano() != 0) {
        out.writeUInt32(2, timestamp.getNano());
      }
      writeSInt32(out, 3, timestamp.getOffset().getTotalSeconds());
    });
    return message(out -> out.writeByteArray(ValueCase.TIMESTAMP_WITH_TIMEZONE.field(), inner));
  }

  private static byte[] json(JsonNode value) {
    byte[] text = MessageCodec.encode(value).getBytes(StandardCharsets.UTF_8);
    return message(out -> out.writeByteArray(ValueCase.JSON.field(), text));
  }

  // proto3 leaves a field at its default value (0) off the wire, as protobuf's generated code does.

  private static void writeSInt64(CodedOutputStream out, int field, long value) throws IOException {
    if (value != 0) {
      out.writeSInt64(field, value);
    }
  }

  private static void writeUInt64(CodedOutputStream out, int field, long value) throws IOException {
    if (value != 0) {
      out.writeUInt64(field, value);
    }
  }

  private static void writeSInt32(CodedOutputStream out, int field, int value) throws IOException {
    if (value != 0) {
      out.writeSInt32(field, value);
    }
  }

  /** Writes the fields of a message. */
  interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  /** The bytes of a message whose fields {@code fields} writes. */
  static byte[] message(Fields fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      fields.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
