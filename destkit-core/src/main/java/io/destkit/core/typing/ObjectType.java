package io.destkit.core.typing;

import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * An object with declared properties, in schema order; stored as JSON. The map is a private copy
 * of the one given; do not mutate the one returned.
 */
public record ObjectType(LinkedHashMap<String, FieldType> properties) implements AirbyteType {
  public ObjectType {
    properties = new LinkedHashMap<>(Objects.requireNonNull(properties, "properties"));
  }
}
