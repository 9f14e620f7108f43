package io.destkit.testkit.socket;

/**
 * The cases of a protobuf record value's {@code oneof} (see {@code
 * io/destkit/protocol/speed-mode.proto}), each with its field number and wire type.
 */
public enum ValueCase {
  BOOLEAN(1, WireType.VARINT),
  STRING(2, WireType.LENGTH_DELIMITED),
  INTEGER(3, WireType.VARINT),
  BIG_INTEGER(4, WireType.LENGTH_DELIMITED),
  NUMBER(5, WireType.FIXED64),
  BIG_DECIMAL(6, WireType.LENGTH_DELIMITED),
  DATE(7, WireType.VARINT),
  TIME_WITH_TIMEZONE(8, WireType.LENGTH_DELIMITED),
  TIME_WITHOUT_TIMEZONE(9, WireType.VARINT),
  TIMESTAMP_WITH_TIMEZONE(10, WireType.LENGTH_DELIMITED),
  TIMESTAMP_WITHOUT_TIMEZONE(11, WireType.LENGTH_DELIMITED),
  JSON(12, WireType.LENGTH_DELIMITED);

  /** The field number of {@code is_null}, beside the cases. */
  public static final int IS_NULL_FIELD = 13;

  /** How a case is laid out on the wire. */
  public enum WireType {
    VARINT,
    FIXED64,
    LENGTH_DELIMITED
  }

  private final int field;
  private final WireType wireType;

  ValueCase(int field, WireType wireType) {
    this.field = field;
    this.wireType = wireType;
  }

  /** The field number of this case in {@code Value}. */
  public int field() {
    return field;
  }

  public WireType wireType() {
    return wireType;
  }

  /** The case of a field number, or null for a number that is not a case (13 is {@code is_null}). */
  public static ValueCase ofField(int field) {
    for (ValueCase valueCase : values()) {
      if (valueCase.field == field) {
        return valueCase;
      }
    }
    return null;
  }
}
