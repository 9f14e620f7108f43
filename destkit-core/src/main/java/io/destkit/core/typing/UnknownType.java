package io.destkit.core.typing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A value whose schema is absent, empty or not understood (for example {@code allOf}); stored as
 * JSON. Keeps the schema it came from, for messages and for destinations that want to look.
 */
public record UnknownType(JsonNode schema) implements AirbyteType {
  public UnknownType {
    if (schema == null) {
      schema = NullNode.getInstance();
    }
  }
}
