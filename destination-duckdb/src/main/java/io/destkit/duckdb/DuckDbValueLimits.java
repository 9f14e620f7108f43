package io.destkit.duckdb;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ChangeReason;
import io.destkit.core.typing.ChangeSink;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.TimeWithTimezoneType;
import io.destkit.core.typing.ValueChange;
import io.destkit.core.typing.ValueLimits;
import io.destkit.sql.Microseconds;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetTime;

/**
 * What DuckDB cannot store as given. Numbers are DECIMAL(38, 9), the type Airbyte's DuckDB and
 * MotherDuck destinations use: more than 9 decimals are rounded (half away from zero, as DuckDB's
 * own cast rounds) and the change recorded ({@code TRUNCATED}); more than 29 integer digits, once
 * rounded, are nulled. Timestamps and times keep microseconds (finer digits cut and recorded). A
 * time zone offset of 16 hours or more, beyond TIMETZ's range, is nulled. Every change is recorded
 * with {@code DESTINATION_FIELD_SIZE_LIMITATION}.
 */
final class DuckDbValueLimits implements ValueLimits {
  private static final int MAX_INTEGER_DIGITS = DuckDbDialect.NUMBER_PRECISION - DuckDbDialect.NUMBER_SCALE;
  /** TIMETZ's offset is less than 16 hours either way. */
  static final int MAX_OFFSET_SECONDS = 16 * 3600 - 1;

  @Override
  public void check(AirbyteType type, Object value) throws CoercionFailure {
    if (type instanceof NumberType && value instanceof BigDecimal number) {
      stored(number);
    } else if (type instanceof TimeWithTimezoneType && value instanceof OffsetTime time) {
      if (Math.abs(time.getOffset().getTotalSeconds()) > MAX_OFFSET_SECONDS) {
        throw CoercionFailure.FIELD_SIZE;
      }
    }
  }

  @Override
  public Object apply(AirbyteType type, Object value, ChangeSink changes) throws CoercionFailure {
    if (type instanceof NumberType && value instanceof BigDecimal number) {
      BigDecimal stored = stored(number);
      if (stored != number) {
        changes.record(ValueChange.TRUNCATED, ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);
      }
      return stored;
    }
    check(type, value);
    return Microseconds.truncate(value, changes);
  }

  /** The number as DECIMAL(38, 9) holds it: the same instance when exact, else rounded. */
  private static BigDecimal stored(BigDecimal number) throws CoercionFailure {
    BigDecimal stored = number;
    if (number.scale() > DuckDbDialect.NUMBER_SCALE) {
      BigDecimal rounded = number.setScale(DuckDbDialect.NUMBER_SCALE, RoundingMode.HALF_UP);
      if (rounded.compareTo(number) != 0) {
        stored = rounded;
      }
    }
    if ((long) stored.precision() - stored.scale() > MAX_INTEGER_DIGITS) {
      throw CoercionFailure.FIELD_SIZE;
    }
    return stored;
  }

  /** Numbers are stored as DECIMAL(38, 9) and rounded to fit above. */
  @Override
  public io.destkit.core.write.ColumnVectors.Numbers numbers() {
    return io.destkit.core.write.ColumnVectors.Numbers.decimal(DuckDbDialect.NUMBER_PRECISION, DuckDbDialect.NUMBER_SCALE);
  }
}
