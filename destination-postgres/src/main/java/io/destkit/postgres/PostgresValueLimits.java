package io.destkit.postgres;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ChangeReason;
import io.destkit.core.typing.ChangeSink;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.StringType;
import io.destkit.core.typing.TimeWithTimezoneType;
import io.destkit.core.typing.ValueChange;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.typing.Microseconds;
import java.math.BigDecimal;
import java.time.OffsetTime;

/**
 * What PostgreSQL cannot store. Beyond its range (nulled, {@code DESTINATION_FIELD_SIZE_LIMITATION}):
 * numbers past numeric's digits, text over 1 GB, JSON over jsonb's 256 MB, time zone offsets of 16
 * hours or more. Timestamps and times keep microseconds: finer digits are cut ({@code TRUNCATED},
 * {@code DESTINATION_FIELD_SIZE_LIMITATION}; see {@link Microseconds}). U+0000, which no text or
 * jsonb value can hold, is removed and the value kept ({@code TRUNCATED}, {@code
 * DESTINATION_SERIALIZATION_ERROR}).
 */
final class PostgresValueLimits implements ValueLimits {
  /** numeric: up to 131072 digits before the decimal point, 16383 after. */
  static final int MAX_INTEGER_DIGITS = 131_072;
  static final int MAX_FRACTION_DIGITS = 16_383;
  /** A text value's bytes (1 GB, less the varlena header). */
  static final long MAX_TEXT_BYTES = (1L << 30) - 1 - 4;
  /** jsonb keeps offsets in 28 bits: no jsonb value is 256 MB or more. */
  static final long MAX_JSON_BYTES = (1L << 28) - 1;
  /** timetz's zone displacement is less than 16 hours. */
  static final int MAX_OFFSET_SECONDS = 16 * 3600 - 1;

  private static final String JSON_NUL_ESCAPE = "\\u0000";

  @Override
  public void check(AirbyteType type, Object value) throws CoercionFailure {
    if (value instanceof BigDecimal number && type instanceof NumberType) {
      if ((long) number.precision() - number.scale() > MAX_INTEGER_DIGITS || number.scale() > MAX_FRACTION_DIGITS) {
        throw CoercionFailure.FIELD_SIZE;
      }
    } else if (value instanceof String text) {
      long max = type instanceof StringType ? MAX_TEXT_BYTES : MAX_JSON_BYTES;
      if (text.length() > max / 3 && Utf8.length(text) > max) {
        throw CoercionFailure.FIELD_SIZE;
      }
    } else if (value instanceof OffsetTime time && type instanceof TimeWithTimezoneType) {
      if (Math.abs(time.getOffset().getTotalSeconds()) > MAX_OFFSET_SECONDS) {
        throw CoercionFailure.FIELD_SIZE;
      }
    }
  }

  @Override
  public Object apply(AirbyteType type, Object value, ChangeSink changes) throws CoercionFailure {
    check(type, value);
    if (!(value instanceof String text)) {
      return Microseconds.truncate(value, changes);
    }
    String cleaned = type instanceof StringType ? withoutNul(text) : withoutJsonNul(text);
    if (cleaned != text) {
      changes.record(ValueChange.TRUNCATED, ChangeReason.DESTINATION_SERIALIZATION_ERROR);
    }
    return cleaned;
  }

  /** The text without U+0000 characters; the same instance when it has none. */
  static String withoutNul(String text) {
    return text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "");
  }

  /**
   * Compact JSON text without its {@code \u0000} escapes (jsonb refuses them); the same instance
   * when it has none. An escaped backslash followed by {@code u0000} is text, not an escape, and
   * stays. JSON text from a generator holds no raw U+0000 (it is always escaped).
   */
  static String withoutJsonNul(String json) {
    if (json.indexOf(JSON_NUL_ESCAPE) < 0) {
      return json;
    }
    StringBuilder out = null;
    int copied = 0;
    for (int i = 0; i < json.length(); i++) {
      if (json.charAt(i) != '\\') {
        continue;
      }
      if (json.startsWith(JSON_NUL_ESCAPE, i)) {
        if (out == null) {
          out = new StringBuilder(json.length());
        }
        out.append(json, copied, i);
        i += JSON_NUL_ESCAPE.length() - 1;
        copied = i + 1;
      } else {
        i++; // the escaped character, possibly a backslash
      }
    }
    if (out == null) {
      return json;
    }
    return out.append(json, copied, json.length()).toString();
  }
}
