package io.destkit.duckdb;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.ValueLimits;
import java.math.BigDecimal;

/** What DuckDB cannot store: numbers beyond DECIMAL(38, 9). */
final class DuckDbValueLimits implements ValueLimits {
  private static final int MAX_INTEGER_DIGITS = DuckDbDialect.NUMBER_PRECISION - DuckDbDialect.NUMBER_SCALE;

  @Override
  public void check(AirbyteType type, Object value) throws CoercionFailure {
    if (type instanceof NumberType && value instanceof BigDecimal number) {
      if (number.precision() - number.scale() > MAX_INTEGER_DIGITS) {
        throw CoercionFailure.FIELD_SIZE;
      }
    }
  }
}
