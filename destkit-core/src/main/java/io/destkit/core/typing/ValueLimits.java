package io.destkit.core.typing;

/**
 * Destination-specific range checks applied after a value has been read (e.g. DECIMAL precision,
 * timestamp range, string length). Throw {@link CoercionFailure#FIELD_SIZE} to refuse a value.
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
}
