package io.destkit.core.typing;

import java.util.Objects;

/**
 * The type of a named field or of array items. Fields parsed from a JSON schema are always
 * nullable: Airbyte sources may send null (or omit the field) whatever the schema says.
 */
public record FieldType(AirbyteType type, boolean nullable) {
  public FieldType {
    Objects.requireNonNull(type, "type");
  }
}
