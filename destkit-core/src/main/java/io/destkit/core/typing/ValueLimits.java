package io.destkit.core.typing;

/**
 * Destination-specific range checks applied after a value has been read (e.g. DECIMAL precision,
 * timestamp range, string length). Throw {@link CoercionFailure#FIELD_SIZE} to refuse a value; a
 * destination that can store a value after cleaning it overrides {@link #apply} as well.
 */
@FunctionalInterface
public interface ValueLimits {
  /** Accepts every value. */
  ValueLimits NONE = (t, v) -> {};

  /**
   * @param type the column's type
   * @param value the coerced value, never null, of the Java class {@link Coercers} documents for
   *     the type
   */
  void check(AirbyteType type, Object value) throws CoercionFailure;

  /**
   * Returns the value to store: the value itself, or a cleaned copy of the same Java class, in
   * which case the change made is recorded in {@code changes}. Refuses a value as {@link #check}
   * does. The default only checks.
   */
  default Object apply(AirbyteType type, Object value, ChangeSink changes) throws CoercionFailure {
    check(type, value);
    return value;
  }

  /**
   * How batches hold numbers: as Arrow decimals of the precision and scale every stored number fits
   * once these limits have applied, or as exact text (the default) when there is none.
   */
  default io.destkit.core.write.ColumnVectors.Numbers numbers() {
    return io.destkit.core.write.ColumnVectors.Numbers.TEXT;
  }
}
