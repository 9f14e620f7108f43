package io.destkit.iceberg;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ChangeSink;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.DecimalLimit;
import io.destkit.core.typing.Microseconds;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.ColumnVectors;
import java.math.BigDecimal;

/**
 * What an Iceberg table cannot store as given. Numbers are {@code decimal(38, 9)}: more than 9
 * decimals are rounded (half up) and the change recorded ({@code TRUNCATED}); more than 29 integer
 * digits, once rounded, are nulled. Timestamps and times are microseconds in Iceberg: finer digits
 * are cut and recorded. Every change is recorded with {@code DESTINATION_FIELD_SIZE_LIMITATION}.
 */
final class IcebergValueLimits implements ValueLimits {
  private static final DecimalLimit NUMBERS = new DecimalLimit(IcebergTypes.NUMBER_PRECISION, IcebergTypes.NUMBER_SCALE);

  @Override
  public void check(AirbyteType type, Object value) throws CoercionFailure {
    if (type instanceof NumberType && value instanceof BigDecimal number) {
      NUMBERS.fit(number);
    }
  }

  @Override
  public Object apply(AirbyteType type, Object value, ChangeSink changes) throws CoercionFailure {
    if (type instanceof NumberType && value instanceof BigDecimal number) {
      return NUMBERS.apply(number, changes);
    }
    return Microseconds.truncate(value, changes);
  }

  @Override
  public ColumnVectors.Numbers numbers() {
    return IcebergTypes.NUMBERS;
  }
}
