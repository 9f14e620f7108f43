package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A stream schema with one field of every Airbyte type, and a record that fills every field with a
 * non-null value (fixture {@code every-airbyte-type.json}).
 */
public final class EveryAirbyteType {
  private static final JsonNode FIXTURE = load();

  private EveryAirbyteType() {}

  public static JsonNode schema() {
    return FIXTURE.get("json_schema").deepCopy();
  }

  public static JsonNode record() {
    return FIXTURE.get("record").deepCopy();
  }

  private static JsonNode load() {
    try (InputStream in = EveryAirbyteType.class.getResourceAsStream("every-airbyte-type.json")) {
      if (in == null) {
        throw new IllegalStateException("missing fixture every-airbyte-type.json");
      }
      return MessageCodec.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
