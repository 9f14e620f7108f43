package io.destkit.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes the values of secret config fields (those the spec marks {@code airbyte_secret}) from any
 * text before it leaves the process.
 */
public final class SecretScrubber {
  private static final String MASK = "****";
  private final List<String> secrets;

  private SecretScrubber(List<String> secrets) {
    this.secrets = secrets;
  }

  public static SecretScrubber none() {
    return new SecretScrubber(List.of());
  }

  /** Collects the secret values of {@code config} by walking the spec schema alongside it. */
  public static SecretScrubber of(JsonNode specSchema, JsonNode config) {
    List<String> secrets = new ArrayList<>();
    collect(specSchema, config, secrets);
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretScrubber(List.copyOf(secrets));
  }

  private static void collect(JsonNode schema, JsonNode value, List<String> out) {
    if (schema == null || value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    if (schema.path("airbyte_secret").asBoolean(false) && value.isValueNode()) {
      String text = value.asText();
      if (!text.isEmpty()) {
        out.add(text);
      }
      return;
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        collect(properties.get(field.getKey()), field.getValue(), out);
        for (JsonNode option : schema.path("oneOf")) {
          collect(option.path("properties").get(field.getKey()), field.getValue(), out);
        }
      }
    }
  }

  public String scrub(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }
}
