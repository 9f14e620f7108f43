package io.destkit.iceberg;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ChangeReason;
import io.destkit.core.typing.ChangeSink;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.ValueChange;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.ColumnVectors;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;

/**
 * What an Iceberg table cannot store as given. Numbers are {@code decimal(38, 9)}: more than 9
 * decimals are rounded (half up) and the change recorded ({@code TRUNCATED}); more than 29 integer
 * digits, once rounded, are nulled. Timestamps and times are microseconds in Iceberg: finer digits
 * are cut and recorded. Every change is recorded with {@code DESTINATION_FIELD_SIZE_LIMITATION}.
 */
final class IcebergValueLimits implements ValueLimits {
  private static final int MAX_INTEGER_DIGITS = IcebergTypes.NUMBER_PRECISION - IcebergTypes.NUMBER_SCALE;

  @Override
  public void check(AirbyteType type, Object value) throws CoercionFailure {
    if (type instanceof NumberType && value instanceof BigDecimal number) {
      stored(number);
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
    Object micros = toMicros(value);
    if (micros != value) {
      changes.record(ValueChange.TRUNCATED, ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);
    }
    return micros;
  }

  /** The value cut to whole microseconds, or the same instance when there is nothing to cut. */
  private static Object toMicros(Object value) {
    if (value instanceof OffsetDateTime instant && instant.getNano() % 1000 != 0) {
      return instant.withNano(instant.getNano() / 1000 * 1000);
    } else if (value instanceof LocalDateTime dateTime && dateTime.getNano() % 1000 != 0) {
      return dateTime.withNano(dateTime.getNano() / 1000 * 1000);
    } else if (value instanceof OffsetTime time && time.getNano() % 1000 != 0) {
      return time.withNano(time.getNano() / 1000 * 1000);
    } else if (value instanceof LocalTime time && time.getNano() % 1000 != 0) {
      return time.withNano(time.getNano() / 1000 * 1000);
    }
    return value;
  }

  /** The number as {@code decimal(38, 9)} holds it: the same instance when exact, else rounded. */
  private static BigDecimal stored(BigDecimal number) throws CoercionFailure {
    BigDecimal stored = number;
    if (number.scale() > IcebergTypes.NUMBER_SCALE) {
      BigDecimal rounded = number.setScale(IcebergTypes.NUMBER_SCALE, RoundingMode.HALF_UP);
      if (rounded.compareTo(number) != 0) {
        stored = rounded;
      }
    }
    if ((long) stored.precision() - stored.scale() > MAX_INTEGER_DIGITS) {
      throw CoercionFailure.FIELD_SIZE;
    }
    return stored;
  }

  @Override
  public ColumnVectors.Numbers numbers() {
    return IcebergTypes.NUMBERS;
  }
}
