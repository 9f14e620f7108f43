package io.destkit.core.typing;

import static io.destkit.core.typing.CoercionFailure.FIELD_SIZE;
import static io.destkit.core.typing.CoercionFailure.SERIALIZATION;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Builds the {@link ValueCoercer} of a column. The Java value each type gives:
 *
 * <ul>
 *   <li>string: {@link String}; a number or boolean gives its JSON text, an object or array its
 *       compact JSON;
 *   <li>boolean: {@link Boolean}, from JSON booleans or the strings "true"/"false" in any case;
 *   <li>integer: {@link Long}, from integral numbers ({@code 1.0} too) and strings holding one;
 *       beyond 64 bits is a field-size failure;
 *   <li>number: {@link BigDecimal}, exactly as written, from numbers and numeric strings; a
 *       negative scale (from an exponent) is normalised to zero;
 *   <li>date: {@link LocalDate}; a date-time string gives its local date;
 *   <li>timestamp with time zone: {@link OffsetDateTime} at UTC; no offset means UTC;
 *   <li>timestamp without time zone: {@link LocalDateTime}; an offset present is dropped, the
 *       date-time is kept as written;
 *   <li>time with time zone: {@link OffsetTime} with the offset given (UTC when none);
 *   <li>time without time zone: {@link LocalTime}; an offset present is dropped;
 *   <li>objects and arrays: {@link String} of compact JSON, numbers as written; a value of the
 *       other kind or a scalar is a serialization failure;
 *   <li>unions and unknown types: {@link String} of compact JSON of whatever came.
 * </ul>
 *
 * Date-time text formats are those of {@link DateTimeText}; a fraction with non-zero digits beyond
 * nanoseconds is cut to nanoseconds and recorded ({@code TRUNCATED}, {@code
 * DESTINATION_FIELD_SIZE_LIMITATION}). A JSON {@code null} reaching a coercer
 * gives {@code null}, though callers are expected to handle it themselves.
 */
public final class Coercers {
  /** Longer numeric strings are refused rather than parsed (Jackson's limit for JSON numbers). */
  private static final int MAX_NUMBER_LENGTH = 1000;

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private Coercers() {}

  public static ValueCoercer forType(AirbyteType type, ValueLimits limits) {
    Objects.requireNonNull(type, "type");
    ValueLimits checked = limits != null ? limits : ValueLimits.NONE;
    if (type instanceof StringType) {
      return new ToString(type, checked);
    } else if (type instanceof BooleanType) {
      return new ToBoolean(type, checked);
    } else if (type instanceof IntegerType) {
      return new ToLong(type, checked);
    } else if (type instanceof NumberType) {
      return new ToDecimal(type, checked);
    } else if (type instanceof DateType) {
      return new ToDate(type, checked);
    } else if (type instanceof TimestampWithTimezoneType) {
      return new ToTimestamp(type, checked, true);
    } else if (type instanceof TimestampWithoutTimezoneType) {
      return new ToTimestamp(type, checked, false);
    } else if (type instanceof TimeWithTimezoneType) {
      return new ToTime(type, checked, true);
    } else if (type instanceof TimeWithoutTimezoneType) {
      return new ToTime(type, checked, false);
    } else if (type instanceof ObjectType
        || type instanceof ObjectTypeWithEmptySchema
        || type instanceof ObjectTypeWithoutSchema) {
      return new ToJson(type, checked, JsonToken.START_OBJECT);
    } else if (type instanceof ArrayType || type instanceof ArrayTypeWithoutSchema) {
      return new ToJson(type, checked, JsonToken.START_ARRAY);
    } else {
      // UnionType, UnknownType
      return new ToJson(type, checked, null);
    }
  }

  /** Reads the value, then applies the limits; turns a refused value into a consumed one. */
  private abstract static class Coercer implements ValueCoercer {
    private final AirbyteType type;
    private final ValueLimits limits;
    private final TruncationWatch cutChanges = new TruncationWatch();

    Coercer(AirbyteType type, ValueLimits limits) {
      this.type = type;
      this.limits = limits;
    }

    @Override
    public final Object read(JsonParser parser, ChangeSink changes) throws IOException, CoercionFailure {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL) {
        return null;
      }
      if (token == null || !(token.isScalarValue() || token.isStructStart())) {
        throw new IllegalStateException("The parser must be at a value, not at " + token);
      }
      Object value = convert(parser, token);
      if (!lastValueCut()) {
        return limits.apply(type, value, changes);
      }
      // Rare: digits the Java value cannot hold were dropped. One TRUNCATED for the field, whether
      // or not the limits cut the value further.
      cutChanges.forward(changes);
      Object stored = limits.apply(type, value, cutChanges);
      if (!cutChanges.truncated) {
        changes.record(ValueChange.TRUNCATED, ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);
      }
      return stored;
    }

    abstract Object convert(JsonParser parser, JsonToken token) throws IOException, CoercionFailure;

    /** Whether the value {@link #convert} just gave lost digits of its text (a fraction beyond nanoseconds). */
    boolean lastValueCut() {
      return false;
    }

    /** Skips the rest of a refused container so that the whole value is consumed. */
    static CoercionFailure refuse(JsonParser parser, CoercionFailure failure) throws IOException {
      parser.skipChildren();
      return failure;
    }
  }

  private static final class ToString extends Coercer {
    private final JsonText json = new JsonText();

    ToString(AirbyteType type, ValueLimits limits) {
      super(type, limits);
    }

    @Override
    Object convert(JsonParser p, JsonToken token) throws IOException, CoercionFailure {
      switch (token) {
        case VALUE_STRING:
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          return p.getText();
        case VALUE_TRUE:
          return "true";
        case VALUE_FALSE:
          return "false";
        case START_OBJECT:
        case START_ARRAY:
          return json.copy(p);
        default:
          throw refuse(p, SERIALIZATION);
      }
    }
  }

  private static final class ToBoolean extends Coercer {
    ToBoolean(AirbyteType type, ValueLimits limits) {
      super(type, limits);
    }

    @Override
    Object convert(JsonParser p, JsonToken token) throws IOException, CoercionFailure {
      if (token == JsonToken.VALUE_TRUE) {
        return Boolean.TRUE;
      }
      if (token == JsonToken.VALUE_FALSE) {
        return Boolean.FALSE;
      }
      if (token == JsonToken.VALUE_STRING) {
        char[] t = p.getTextCharacters();
        int o = p.getTextOffset();
        int n = p.getTextLength();
        if (NumberText.equalsIgnoreCase(t, o, n, "true")) {
          return Boolean.TRUE;
        }
        if (NumberText.equalsIgnoreCase(t, o, n, "false")) {
          return Boolean.FALSE;
        }
      }
      throw refuse(p, SERIALIZATION);
    }
  }

  private static final class ToLong extends Coercer {
    ToLong(AirbyteType type, ValueLimits limits) {
      super(type, limits);
    }

    @Override
    Object convert(JsonParser p, JsonToken token) throws IOException, CoercionFailure {
      switch (token) {
        case VALUE_NUMBER_INT:
          return NumberText.parseLong(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        case VALUE_NUMBER_FLOAT:
          if (p.isNaN()) {
            throw SERIALIZATION;
          }
          return exactLong(p.getDecimalValue());
        case VALUE_STRING:
          char[] t = p.getTextCharacters();
          int o = p.getTextOffset();
          int n = p.getTextLength();
          if (!NumberText.isDecimal(t, o, n)) {
            throw SERIALIZATION;
          }
          if (NumberText.isPlainInteger(t, o, n)) {
            return NumberText.parseLong(t, o, n);
          }
          if (n > MAX_NUMBER_LENGTH) {
            throw FIELD_SIZE;
          }
          return exactLong(NumberText.toDecimal(t, o, n));
        default:
          throw refuse(p, SERIALIZATION);
      }
    }

    private static Long exactLong(BigDecimal value) throws CoercionFailure {
      if (value.signum() == 0) {
        return 0L;
      }
      // Digits before the point, checked before anything that could expand 1e999999999.
      long integerDigits = (long) value.precision() - value.scale();
      if (integerDigits > 19) {
        throw FIELD_SIZE;
      }
      if (integerDigits < 1) {
        throw SERIALIZATION;
      }
      BigDecimal stripped = value.stripTrailingZeros();
      if (stripped.scale() > 0) {
        throw SERIALIZATION;
      }
      if (stripped.compareTo(LONG_MIN) < 0 || stripped.compareTo(LONG_MAX) > 0) {
        throw FIELD_SIZE;
      }
      return stripped.longValue();
    }
  }

  private static final class ToDecimal extends Coercer {
    ToDecimal(AirbyteType type, ValueLimits limits) {
      super(type, limits);
    }

    @Override
    Object convert(JsonParser p, JsonToken token) throws IOException, CoercionFailure {
      switch (token) {
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          if (p.isNaN()) {
            throw SERIALIZATION;
          }
          return normalised(p.getDecimalValue());
        case VALUE_STRING:
          char[] t = p.getTextCharacters();
          int o = p.getTextOffset();
          int n = p.getTextLength();
          if (!NumberText.isDecimal(t, o, n)) {
            throw SERIALIZATION;
          }
          if (n > MAX_NUMBER_LENGTH) {
            throw FIELD_SIZE;
          }
          return normalised(NumberText.toDecimal(t, o, n));
        default:
          throw refuse(p, SERIALIZATION);
      }
    }

    /** 1E+2 becomes 100, unless that would mean more digits than any database keeps. */
    private static BigDecimal normalised(BigDecimal value) {
      if (value.scale() < 0 && (long) value.precision() - value.scale() <= MAX_NUMBER_LENGTH) {
        return value.setScale(0);
      }
      return value;
    }
  }

  private static final class ToDate extends Coercer {
    private final DateTimeText text = new DateTimeText();

    ToDate(AirbyteType type, ValueLimits limits) {
      super(type, limits);
    }

    @Override
    Object convert(JsonParser p, JsonToken token) throws IOException, CoercionFailure {
      if (token != JsonToken.VALUE_STRING) {
        throw refuse(p, SERIALIZATION);
      }
      char[] t = p.getTextCharacters();
      int o = p.getTextOffset();
      int n = p.getTextLength();
      boolean ok = n == 10 ? text.parseDate(t, o, n) : text.parseDateTime(t, o, n);
      if (!ok) {
        throw SERIALIZATION;
      }
      return LocalDate.of(text.year, text.month, text.day);
    }
  }

  private static final class ToTimestamp extends Coercer {
    private final DateTimeText text = new DateTimeText();
    private final boolean withTimezone;

    ToTimestamp(AirbyteType type, ValueLimits limits, boolean withTimezone) {
      super(type, limits);
      this.withTimezone = withTimezone;
    }

    @Override
    boolean lastValueCut() {
      return text.fractionCut;
    }

    @Override
    Object convert(JsonParser p, JsonToken token) throws IOException, CoercionFailure {
      if (token != JsonToken.VALUE_STRING) {
        throw refuse(p, SERIALIZATION);
      }
      DateTimeText x = text;
      if (!x.parseDateTime(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
        throw SERIALIZATION;
      }
      if (!withTimezone) {
        return LocalDateTime.of(x.year, x.month, x.day, x.hour, x.minute, x.second, x.nano);
      }
      if (x.offsetSeconds == 0) {
        return OffsetDateTime.of(
            x.year, x.month, x.day, x.hour, x.minute, x.second, x.nano, ZoneOffset.UTC);
      }
      LocalDateTime utc = LocalDateTime.ofEpochSecond(x.epochSecond(), x.nano, ZoneOffset.UTC);
      return OffsetDateTime.of(utc, ZoneOffset.UTC);
    }
  }

  private static final class ToTime extends Coercer {
    private final DateTimeText text = new DateTimeText();
    private final boolean withTimezone;

    ToTime(AirbyteType type, ValueLimits limits, boolean withTimezone) {
      super(type, limits);
      this.withTimezone = withTimezone;
    }

    @Override
    boolean lastValueCut() {
      return text.fractionCut;
    }

    @Override
    Object convert(JsonParser p, JsonToken token) throws IOException, CoercionFailure {
      if (token != JsonToken.VALUE_STRING) {
        throw refuse(p, SERIALIZATION);
      }
      DateTimeText x = text;
      if (!x.parseTime(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
        throw SERIALIZATION;
      }
      LocalTime time = LocalTime.of(x.hour, x.minute, x.second, x.nano);
      if (!withTimezone) {
        return time;
      }
      ZoneOffset offset =
          x.offsetSeconds == 0 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(x.offsetSeconds);
      return OffsetTime.of(time, offset);
    }
  }

  private static final class ToJson extends Coercer {
    private final JsonText json = new JsonText();
    /** The container token the value must start with, or null for any value. */
    private final JsonToken required;

    ToJson(AirbyteType type, ValueLimits limits, JsonToken required) {
      super(type, limits);
      this.required = required;
    }

    @Override
    Object convert(JsonParser p, JsonToken token) throws IOException, CoercionFailure {
      if (required != null && token != required) {
        throw refuse(p, SERIALIZATION);
      }
      return json.copy(p);
    }
  }

  /** Passes changes on, noting whether a TRUNCATED was among them. */
  private static final class TruncationWatch implements ChangeSink {
    private ChangeSink target;
    private boolean truncated;

    void forward(ChangeSink changes) {
      target = changes;
      truncated = false;
    }

    @Override
    public void record(ValueChange change, ChangeReason reason) {
      truncated |= change == ValueChange.TRUNCATED;
      target.record(change, reason);
    }
  }
}
