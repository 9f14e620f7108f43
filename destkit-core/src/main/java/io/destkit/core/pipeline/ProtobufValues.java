package io.destkit.core.pipeline;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ArrayType;
import io.destkit.core.typing.ArrayTypeWithoutSchema;
import io.destkit.core.typing.BooleanType;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.DateType;
import io.destkit.core.typing.IntegerType;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.ObjectType;
import io.destkit.core.typing.ObjectTypeWithEmptySchema;
import io.destkit.core.typing.ObjectTypeWithoutSchema;
import io.destkit.core.typing.StringType;
import io.destkit.core.typing.TimeWithTimezoneType;
import io.destkit.core.typing.TimeWithoutTimezoneType;
import io.destkit.core.typing.TimestampWithTimezoneType;
import io.destkit.core.typing.TimestampWithoutTimezoneType;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * Decodes one {@code Value} of a protobuf record (see {@code io/destkit/protocol/speed-mode.proto})
 * into the Java value its column holds, the value the JSON path would give for the same input. A
 * case that does not fit the column's type is a {@link CoercionFailure#SERIALIZATION} (the caller
 * nulls the value and records {@code DESTINATION_SERIALIZATION_ERROR}); a number too long to parse
 * or an integer beyond 64 bits is a {@link CoercionFailure#FIELD_SIZE}. NULL is {@code is_null}, no
 * case, or a case this reader does not know.
 */
final class ProtobufValues {
  static final int BOOLEAN = 1;
  static final int STRING = 2;
  static final int INTEGER = 3;
  static final int BIG_INTEGER = 4;
  static final int NUMBER = 5;
  static final int BIG_DECIMAL = 6;
  static final int DATE = 7;
  static final int TIME_WITH_TIMEZONE = 8;
  static final int TIME_WITHOUT_TIMEZONE = 9;
  static final int TIMESTAMP_WITH_TIMEZONE = 10;
  static final int TIMESTAMP_WITHOUT_TIMEZONE = 11;
  static final int JSON = 12;
  static final int IS_NULL = 13;

  /** Longer numeric texts are refused rather than parsed, as on the JSON path. */
  private static final int MAX_NUMBER_LENGTH = 1000;
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private ProtobufValues() {}

  /**
   * Reads a whole {@code Value} message from {@code in} (limited to it) and returns the value for a
   * column of {@code type}, or null.
   */
  static Object read(CodedInputStream in, AirbyteType type) throws IOException, CoercionFailure {
    int valueCase = 0;
    Object value = null;
    boolean isNull = false;
    CoercionFailure failure = null;
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == IS_NULL && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
        isNull = in.readBool();
        continue;
      }
      if (field < BOOLEAN || field > JSON) {
        in.skipField(tag);
        continue;
      }
      // The last case on the wire wins, as protobuf's own parsers have it.
      valueCase = field;
      failure = null;
      try {
        value = decode(in, tag, field, type);
      } catch (CoercionFailure refused) {
        value = null;
        failure = refused;
      }
    }
    if (isNull || valueCase == 0) {
      return null;
    }
    if (failure != null) {
      throw failure;
    }
    return value;
  }

  private static Object decode(CodedInputStream in, int tag, int field, AirbyteType type)
      throws IOException, CoercionFailure {
    int expected = switch (field) {
      case BOOLEAN, INTEGER, DATE, TIME_WITHOUT_TIMEZONE -> WireFormat.WIRETYPE_VARINT;
      case NUMBER -> WireFormat.WIRETYPE_FIXED64;
      default -> WireFormat.WIRETYPE_LENGTH_DELIMITED;
    };
    if (WireFormat.getTagWireType(tag) != expected) {
      in.skipField(tag);
      throw CoercionFailure.SERIALIZATION;
    }
    if (isJson(type)) {
      return json(in, field, type);
    }
    switch (field) {
      case BOOLEAN -> {
        boolean b = in.readBool();
        return want(type instanceof BooleanType, b);
      }
      case STRING -> {
        String s = in.readStringRequireUtf8();
        return want(type instanceof StringType, s);
      }
      case INTEGER -> {
        long n = in.readSInt64();
        if (type instanceof IntegerType) {
          return n;
        }
        return want(type instanceof NumberType, BigDecimal.valueOf(n));
      }
      case BIG_INTEGER -> {
        String text = in.readStringRequireUtf8();
        if (!(type instanceof IntegerType) && !(type instanceof NumberType)) {
          throw CoercionFailure.SERIALIZATION;
        }
        BigInteger n = bigInteger(text);
        if (type instanceof NumberType) {
          return new BigDecimal(n);
        }
        if (n.compareTo(LONG_MIN) < 0 || n.compareTo(LONG_MAX) > 0) {
          throw CoercionFailure.FIELD_SIZE;
        }
        return n.longValue();
      }
      case NUMBER -> {
        double d = in.readDouble();
        if (!(type instanceof NumberType) || Double.isNaN(d) || Double.isInfinite(d)) {
          throw CoercionFailure.SERIALIZATION;
        }
        return BigDecimal.valueOf(d);
      }
      case BIG_DECIMAL -> {
        String text = in.readStringRequireUtf8();
        return want(type instanceof NumberType, bigDecimal(text));
      }
      case DATE -> {
        long days = in.readSInt64();
        return want(type instanceof DateType, date(days));
      }
      case TIME_WITHOUT_TIMEZONE -> {
        long nanos = in.readUInt64();
        return want(type instanceof TimeWithoutTimezoneType, time(nanos));
      }
      case TIME_WITH_TIMEZONE -> {
        OffsetTime time = timeWithOffset(in);
        return want(type instanceof TimeWithTimezoneType, time);
      }
      case TIMESTAMP_WITH_TIMEZONE -> {
        OffsetDateTime timestamp = timestampWithOffset(in);
        return want(type instanceof TimestampWithTimezoneType, timestamp);
      }
      case TIMESTAMP_WITHOUT_TIMEZONE -> {
        LocalDateTime timestamp = localTimestamp(in);
        return want(type instanceof TimestampWithoutTimezoneType, timestamp);
      }
      default -> {
        // JSON for a column that is not JSON.
        in.skipField(tag);
        throw CoercionFailure.SERIALIZATION;
      }
    }
  }

  private static boolean isJson(AirbyteType type) {
    return !(type instanceof StringType || type instanceof BooleanType || type instanceof IntegerType
        || type instanceof NumberType || type instanceof DateType || type instanceof TimeWithTimezoneType
        || type instanceof TimeWithoutTimezoneType || type instanceof TimestampWithTimezoneType
        || type instanceof TimestampWithoutTimezoneType);
  }

  /**
   * A JSON column (objects, arrays, unions, unknown): the {@code json} case as its text, which an
   * object or array column requires to be an object or an array; a scalar case of a union or unknown
   * column as its JSON text.
   */
  private static Object json(CodedInputStream in, int field, AirbyteType type) throws IOException, CoercionFailure {
    boolean object = type instanceof ObjectType || type instanceof ObjectTypeWithEmptySchema
        || type instanceof ObjectTypeWithoutSchema;
    boolean array = type instanceof ArrayType || type instanceof ArrayTypeWithoutSchema;
    if (field == JSON) {
      String text = new String(in.readByteArray(), StandardCharsets.UTF_8);
      char first = firstNonBlank(text);
      if ((object && first != '{') || (array && first != '[')) {
        throw CoercionFailure.SERIALIZATION;
      }
      try {
        // The text must be JSON: it is stored as JSON, and a destination may parse it.
        MessageCodec.MAPPER.readTree(text);
      } catch (IOException e) {
        throw CoercionFailure.SERIALIZATION;
      }
      return text;
    }
    Object scalar = switch (field) {
      case BOOLEAN -> in.readBool();
      case STRING -> MessageCodec.encode(MessageCodec.MAPPER.getNodeFactory().textNode(in.readStringRequireUtf8()));
      case INTEGER -> in.readSInt64();
      case BIG_INTEGER -> bigInteger(in.readStringRequireUtf8());
      case NUMBER -> {
        double d = in.readDouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw CoercionFailure.SERIALIZATION;
        }
        yield BigDecimal.valueOf(d).toString();
      }
      case BIG_DECIMAL -> bigDecimal(in.readStringRequireUtf8()).toString();
      default -> {
        // Dates, times and timestamps as their ISO text.
        Object temporal = switch (field) {
          case DATE -> date(in.readSInt64());
          case TIME_WITHOUT_TIMEZONE -> time(in.readUInt64());
          case TIME_WITH_TIMEZONE -> timeWithOffset(in);
          case TIMESTAMP_WITH_TIMEZONE -> timestampWithOffset(in);
          default -> localTimestamp(in);
        };
        yield MessageCodec.encode(MessageCodec.MAPPER.getNodeFactory().textNode(temporal.toString()));
      }
    };
    if (object || array) {
      throw CoercionFailure.SERIALIZATION;
    }
    return scalar.toString();
  }

  private static char firstNonBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c;
      }
    }
    return 0;
  }

  private static Object want(boolean fits, Object value) throws CoercionFailure {
    if (!fits) {
      throw CoercionFailure.SERIALIZATION;
    }
    return value;
  }

  private static BigInteger bigInteger(String text) throws CoercionFailure {
    if (text.length() > MAX_NUMBER_LENGTH) {
      throw CoercionFailure.FIELD_SIZE;
    }
    try {
      return new BigInteger(text.trim());
    } catch (NumberFormatException e) {
      throw CoercionFailure.SERIALIZATION;
    }
  }

  private static BigDecimal bigDecimal(String text) throws CoercionFailure {
    if (text.length() > MAX_NUMBER_LENGTH) {
      throw CoercionFailure.FIELD_SIZE;
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw CoercionFailure.SERIALIZATION;
    }
  }

  private static LocalDate date(long days) throws CoercionFailure {
    try {
      return LocalDate.ofEpochDay(days);
    } catch (DateTimeException e) {
      throw CoercionFailure.SERIALIZATION;
    }
  }

  private static LocalTime time(long nanosOfDay) throws CoercionFailure {
    try {
      return LocalTime.ofNanoOfDay(nanosOfDay);
    } catch (DateTimeException e) {
      throw CoercionFailure.SERIALIZATION;
    }
  }

  private static OffsetTime timeWithOffset(CodedInputStream in) throws IOException, CoercionFailure {
    long nanos = 0;
    int offset = 0;
    int limit = in.pushLimit(in.readRawVarint32());
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> nanos = in.readUInt64();
        case 2 -> offset = in.readSInt32();
        default -> in.skipField(tag);
      }
    }
    in.popLimit(limit);
    try {
      return OffsetTime.of(LocalTime.ofNanoOfDay(nanos), ZoneOffset.ofTotalSeconds(offset));
    } catch (DateTimeException e) {
      throw CoercionFailure.SERIALIZATION;
    }
  }

  private static OffsetDateTime timestampWithOffset(CodedInputStream in) throws IOException, CoercionFailure {
    long seconds = 0;
    long nano = 0;
    int offset = 0;
    int limit = in.pushLimit(in.readRawVarint32());
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> seconds = in.readSInt64();
        case 2 -> nano = Integer.toUnsignedLong(in.readUInt32());
        case 3 -> offset = in.readSInt32();
        default -> in.skipField(tag);
      }
    }
    in.popLimit(limit);
    try {
      return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nano), ZoneOffset.ofTotalSeconds(offset));
    } catch (DateTimeException | ArithmeticException e) {
      throw CoercionFailure.SERIALIZATION;
    }
  }

  private static LocalDateTime localTimestamp(CodedInputStream in) throws IOException, CoercionFailure {
    long days = 0;
    long nanos = 0;
    int limit = in.pushLimit(in.readRawVarint32());
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> days = in.readSInt64();
        case 2 -> nanos = in.readUInt64();
        default -> in.skipField(tag);
      }
    }
    in.popLimit(limit);
    try {
      return LocalDateTime.of(LocalDate.ofEpochDay(days), LocalTime.ofNanoOfDay(nanos));
    } catch (DateTimeException e) {
      throw CoercionFailure.SERIALIZATION;
    }
  }
}
