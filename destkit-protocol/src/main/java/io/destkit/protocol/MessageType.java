package io.destkit.protocol;

/** The {@code type} of an Airbyte message. */
public enum MessageType {
  RECORD,
  STATE,
  LOG,
  SPEC,
  CONNECTION_STATUS,
  CATALOG,
  TRACE,
  CONTROL,
  DESTINATION_CATALOG;

  /** Returns the type for a wire value, or null when it is not a known type. */
  public static MessageType fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (MessageType type : values()) {
      if (type.name().equals(value)) {
        return type;
      }
    }
    return null;
  }
}
