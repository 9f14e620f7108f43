package io.destkit.core.typing;

import io.destkit.core.write.ColumnVectors;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A fixed decimal type a destination stores numbers in, {@code DECIMAL(precision, scale)}: more
 * than {@code scale} decimals are rounded (half up, that is away from zero, as DuckDB's cast rounds)
 * and the change recorded ({@code TRUNCATED}); more than {@code precision - scale} integer digits,
 * once rounded, do not fit ({@link CoercionFailure#FIELD_SIZE}, so the value is nulled). Changes are
 * recorded with {@code DESTINATION_FIELD_SIZE_LIMITATION}.
 *
 * @param precision the type's total digits
 * @param scale its decimal digits
 */
public record DecimalLimit(int precision, int scale) {
  public DecimalLimit {
    if (precision < 1 || scale < 0 || scale > precision) {
      throw new IllegalArgumentException("DECIMAL(" + precision + ", " + scale + ") is not a decimal type");
    }
  }

  /**
   * The number as the type holds it: the same instance when it fits exactly, else rounded.
   *
   * @throws CoercionFailure {@link CoercionFailure#FIELD_SIZE} when its integer digits do not fit
   */
  public BigDecimal fit(BigDecimal number) throws CoercionFailure {
    BigDecimal stored = number;
    if (number.scale() > scale) {
      BigDecimal rounded = number.setScale(scale, RoundingMode.HALF_UP);
      if (rounded.compareTo(number) != 0) {
        stored = rounded;
      }
    }
    if ((long) stored.precision() - stored.scale() > precision - scale) {
      throw CoercionFailure.FIELD_SIZE;
    }
    return stored;
  }

  /** {@link #fit}, recording a rounding in {@code changes}. */
  public BigDecimal apply(BigDecimal number, ChangeSink changes) throws CoercionFailure {
    BigDecimal stored = fit(number);
    if (stored != number) {
      changes.record(ValueChange.TRUNCATED, ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);
    }
    return stored;
  }

  /** How batches hold numbers of this type: Arrow decimals of this precision and scale. */
  public ColumnVectors.Numbers numbers() {
    return ColumnVectors.Numbers.decimal(precision, scale);
  }
}
