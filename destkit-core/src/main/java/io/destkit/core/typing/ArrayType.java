package io.destkit.core.typing;

import java.util.Objects;

/** An array whose items have a declared type; stored as JSON. */
public record ArrayType(FieldType items) implements AirbyteType {
  public ArrayType {
    Objects.requireNonNull(items, "items");
  }
}
