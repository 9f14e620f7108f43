package io.destkit.core.typing;

/** Why a value was nulled or altered on its way into the destination, as reported in {@code _airbyte_meta}. */
public enum ChangeReason {
  /** The value does not have, or cannot be read as, the declared type. */
  DESTINATION_SERIALIZATION_ERROR,
  /** The value has the declared type but is outside what the destination can store. */
  DESTINATION_FIELD_SIZE_LIMITATION
}
