package io.destkit.duckdb;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ChangeSink;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.DecimalLimit;
import io.destkit.core.typing.Microseconds;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.TimeWithTimezoneType;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.ColumnVectors;
import java.math.BigDecimal;
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
  private static final DecimalLimit NUMBERS = new DecimalLimit(DuckDbDialect.NUMBER_PRECISION, DuckDbDialect.NUMBER_SCALE);
  /** TIMETZ's offset is less than 16 hours either way. */
  static final int MAX_OFFSET_SECONDS = 16 * 3600 - 1;

  @Override
  public void check(AirbyteType type, Object value) throws CoercionFailure {
    if (type instanceof NumberType && value instanceof BigDecimal number) {
      NUMBERS.fit(number);
    } else if (type instanceof TimeWithTimezoneType && value instanceof OffsetTime time) {
      if (Math.abs(time.getOffset().getTotalSeconds()) > MAX_OFFSET_SECONDS) {
        throw CoercionFailure.FIELD_SIZE;
      }
    }
  }

  @Override
  public Object apply(AirbyteType type, Object value, ChangeSink changes) throws CoercionFailure {
    if (type instanceof NumberType && value instanceof BigDecimal number) {
      return NUMBERS.apply(number, changes);
    }
    check(type, value);
    return Microseconds.truncate(value, changes);
  }

  /** Numbers are stored as DECIMAL(38, 9) and rounded to fit above. */
  @Override
  public ColumnVectors.Numbers numbers() {
    return NUMBERS.numbers();
  }
}
