package io.destkit.core.stream;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.AirbyteTypeParser;
import io.destkit.core.typing.FieldType;
import io.destkit.core.typing.ObjectType;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.ConfiguredStream;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The streams of one sync, in catalog order, with lookup by the descriptor messages name them by.
 * That is each stream's own descriptor, except in a catalog {@link #mapped} by the platform's
 * namespace mapping: there the streams carry the mapped descriptors (where their tables go) and
 * messages still name the source's.
 */
public final class DestinationCatalog {
  private final List<DestinationStream> streams;
  /** The descriptor messages name each stream by, in catalog order. */
  private final List<StreamDescriptor> messageDescriptors;
  private final Map<StreamDescriptor, Integer> index = new HashMap<>();

  public DestinationCatalog(List<DestinationStream> streams) {
    this(streams, streams.stream().map(DestinationStream::descriptor).toList());
  }

  private DestinationCatalog(List<DestinationStream> streams, List<StreamDescriptor> messageDescriptors) {
    this.streams = List.copyOf(streams);
    this.messageDescriptors = List.copyOf(messageDescriptors);
    Map<StreamDescriptor, StreamDescriptor> targets = new HashMap<>();
    for (int i = 0; i < this.streams.size(); i++) {
      StreamDescriptor source = this.messageDescriptors.get(i);
      if (index.putIfAbsent(source, i) != null) {
        throw new io.destkit.core.ConfigErrorException(
            "The catalog lists stream '" + source + "' twice; each stream may appear once.");
      }
      StreamDescriptor target = this.streams.get(i).descriptor();
      StreamDescriptor other = targets.putIfAbsent(target, source);
      if (other != null) {
        throw new io.destkit.core.ConfigErrorException(
            "The namespace mapping sends streams '" + other + "' and '" + source + "' both to '" + target
                + "'; each stream needs its own destination. Change the connection's namespace or prefix settings.");
      }
    }
  }

  /**
   * This catalog with each stream's descriptor replaced by {@code mapping}'s (its destination
   * namespace and name), while messages keep naming streams by the descriptors they have here.
   *
   * @throws io.destkit.core.ConfigErrorException when two streams map to the same descriptor
   */
  public DestinationCatalog mapped(UnaryOperator<StreamDescriptor> mapping) {
    List<DestinationStream> renamed = new ArrayList<>(streams.size());
    for (DestinationStream stream : streams) {
      renamed.add(new DestinationStream(mapping.apply(stream.descriptor()), stream.schema(), stream.fields(),
          stream.schemaless(), stream.importType(), stream.generationId(), stream.minimumGenerationId(),
          stream.syncId()));
    }
    return new DestinationCatalog(renamed, messageDescriptors);
  }

  /** The descriptor messages name the {@code i}-th stream by (its own unless {@link #mapped}). */
  public StreamDescriptor messageDescriptor(int i) {
    return messageDescriptors.get(i);
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

  /**
   * The position of the stream a message names by {@code descriptor}, or -1 when the catalog does
   * not list it.
   */
  public int indexOf(StreamDescriptor descriptor) {
    Integer i = index.get(descriptor);
    return i == null ? -1 : i;
  }

  public DestinationStream get(int i) {
    return streams.get(i);
  }
}
