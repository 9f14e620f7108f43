package io.destkit.core.typing;

import java.util.List;

/**
 * A value that may be any of several types (at least two, none of them null or a union); stored
 * as JSON. {@link AirbyteTypeParser} collapses a union of one option to that option.
 */
public record UnionType(List<AirbyteType> options) implements AirbyteType {
  public UnionType {
    options = List.copyOf(options);
  }
}
