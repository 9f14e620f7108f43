package io.destkit.core.stream;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.FieldType;
import io.destkit.protocol.StreamDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream as the destination sees it.
 *
 * @param schema the stream's root type as parsed from its JSON schema
 * @param fields the top-level fields in schema order; empty for a schemaless stream
 * @param schemaless true when the schema declares no properties: the whole record is then kept in
 *     one JSON column rather than dropped
 */
public record DestinationStream(
    StreamDescriptor descriptor,
    AirbyteType schema,
    Map<String, FieldType> fields,
    boolean schemaless,
    ImportType importType,
    long generationId,
    long minimumGenerationId,
    long syncId) {

  public DestinationStream {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }
}
