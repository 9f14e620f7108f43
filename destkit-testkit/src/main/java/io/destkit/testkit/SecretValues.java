package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The values a config gives to the fields its spec marks {@code airbyte_secret}: what no output may show. */
public final class SecretValues {
  private SecretValues() {}

  /** The non-empty values of secret fields in {@code config}, oneOf options included. */
  public static List<String> of(JsonNode specSchema, JsonNode config) {
    List<String> secrets = new ArrayList<>();
    collect(specSchema, config, secrets);
    return secrets;
  }

  private static void collect(JsonNode schema, JsonNode value, List<String> out) {
    if (schema.path("airbyte_secret").asBoolean(false) && value.isValueNode() && !value.asText().isEmpty()) {
      out.add(value.asText());
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      collect(schema.path("properties").path(field.getKey()), field.getValue(), out);
      for (JsonNode option : schema.path("oneOf")) {
        collect(option.path("properties").path(field.getKey()), field.getValue(), out);
      }
    }
  }
}
