package io.destkit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One stream of a configured catalog.
 *
 * @param jsonSchema the stream's JSON schema as sent (never null; {@code {}} when absent)
 * @param cursorField the cursor path (empty when none)
 * @param primaryKey the primary key, each component a field path (empty when none)
 */
public record ConfiguredStream(
    StreamDescriptor descriptor,
    JsonNode jsonSchema,
    boolean incremental,
    DestinationSyncMode destinationSyncMode,
    List<String> cursorField,
    List<List<String>> primaryKey,
    long generationId,
    long minimumGenerationId,
    long syncId) {

  public ConfiguredStream {
    cursorField = List.copyOf(cursorField);
    primaryKey = primaryKey.stream().map(List::copyOf).toList();
  }
}
