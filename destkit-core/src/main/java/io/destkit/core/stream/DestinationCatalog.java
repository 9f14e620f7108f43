package io.destkit.core.stream;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.AirbyteTypeParser;
import io.destkit.core.typing.FieldType;
import io.destkit.core.typing.ObjectType;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.ConfiguredStream;
import io.destkit.protocol.StreamDescriptor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The streams of one sync, in catalog order, with lookup by descriptor. */
public final class DestinationCatalog {
  private final List<DestinationStream> streams;
  private final Map<StreamDescriptor, Integer> index = new HashMap<>();

  public DestinationCatalog(List<DestinationStream> streams) {
    this.streams = List.copyOf(streams);
    for (int i = 0; i < this.streams.size(); i++) {
      StreamDescriptor descriptor = this.streams.get(i).descriptor();
      if (index.putIfAbsent(descriptor, i) != null) {
        throw new io.destkit.core.ConfigErrorException(
            "The catalog lists stream '" + descriptor + "' twice; each stream may appear once.");
      }
    }
  }

  public static DestinationCatalog from(ConfiguredCatalog catalog) {
    return new DestinationCatalog(catalog.streams().stream().map(DestinationCatalog::toStream).toList());
  }

  static DestinationStream toStream(ConfiguredStream configured) {
    AirbyteType root = AirbyteTypeParser.parseStream(configured.descriptor().toString(), configured.jsonSchema());
    Map<String, FieldType> fields = new LinkedHashMap<>();
    boolean schemaless = true;
    if (root instanceof ObjectType object) {
      fields.putAll(object.properties());
      schemaless = false;
    }
    ImportType importType =
        switch (configured.destinationSyncMode()) {
          case APPEND -> new ImportType.Append();
          case OVERWRITE -> new ImportType.Overwrite();
          case APPEND_DEDUP -> DedupeSettings.of(configured, fields.keySet());
          case UPDATE, SOFT_DELETE -> throw new io.destkit.core.ConfigErrorException(
              "Stream '" + configured.descriptor() + "': destination_sync_mode '"
                  + configured.destinationSyncMode().wireName()
                  + "' is not supported. Use append, overwrite or append_dedup.");
        };
    checkGenerations(configured);
    return new DestinationStream(
        configured.descriptor(),
        root,
        fields,
        schemaless,
        importType,
        configured.generationId(),
        configured.minimumGenerationId(),
        configured.syncId());
  }

  /**
   * A stream keeps every generation (minimum generation id 0) or only its own (minimum = generation
   * id, a truncate refresh); a refresh that keeps some older generations is refused here, when the
   * catalog is read, so that no namespace or table is touched.
   */
  private static void checkGenerations(ConfiguredStream configured) {
    long minimum = configured.minimumGenerationId();
    long generation = configured.generationId();
    if (minimum != 0 && minimum != generation) {
      throw new io.destkit.core.ConfigErrorException(
          "Stream '" + configured.descriptor() + "' has minimum_generation_id " + minimum + " and generation_id "
              + generation + ": a refresh that keeps some older generations is not supported. Use"
              + " minimum_generation_id 0 (keep all data) or equal to generation_id (replace the data).");
    }
  }

  public List<DestinationStream> streams() {
    return streams;
  }

  public int size() {
    return streams.size();
  }

  /** The position of a stream in the catalog, or -1 when the catalog does not list it. */
  public int indexOf(StreamDescriptor descriptor) {
    Integer i = index.get(descriptor);
    return i == null ? -1 : i;
  }

  public DestinationStream get(int i) {
    return streams.get(i);
  }
}
