package io.destkit.core.typing;

/**
 * Thrown (preallocated, no stack trace) when a value cannot be stored; the caller nulls the field
 * and records the change. The parser has already consumed the whole value.
 */
public final class CoercionFailure extends Exception {
  public static final CoercionFailure SERIALIZATION =
      new CoercionFailure(ChangeReason.DESTINATION_SERIALIZATION_ERROR);
  public static final CoercionFailure FIELD_SIZE =
      new CoercionFailure(ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);

  private final ChangeReason reason;

  private CoercionFailure(ChangeReason reason) {
    super(reason.name(), null, false, false);
    this.reason = reason;
  }

  public ChangeReason reason() {
    return reason;
  }
}
