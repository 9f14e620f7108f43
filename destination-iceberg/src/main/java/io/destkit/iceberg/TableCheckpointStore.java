package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;

/**
 * The kit's exactly-once bookkeeping in the catalog itself, for catalogs that have no database of
 * ours (REST): the properties of an Iceberg table of its own, {@value #TABLE_NAME} in the default
 * namespace, which holds no rows. Each Iceberg table a sync writes has one property,
 * {@code destkit.checkpoint.<namespace>.<table>}, whose value is a small JSON object (the mark, the
 * ranges kept above it as {@code kept_ranges} in {@link RawIdRange#format}'s text, absent or empty
 * for none, whether the attempt finished, the sync, generation and minimum generation ids, and
 * {@code source_state}, the JSON of the last STATE covering the table in this generation; a value
 * of an older version lacks the last two and reads as 0 and no state). Each call is one commit of the properties it
 * changes, made before the STATEs it covers are printed; Iceberg retries a commit that raced another
 * writer's on the refreshed metadata, so syncs of other tables into the same catalog keep theirs.
 */
final class TableCheckpointStore implements CheckpointStore {
  static final String TABLE_NAME = "_destkit_sync_checkpoints";
  static final String PREFIX = "destkit.checkpoint.";
  static final String KEPT_RANGES = "kept_ranges";
  static final String MINIMUM_GENERATION_ID = "minimum_generation_id";
  static final String SOURCE_STATE = "source_state";
  private static final Schema SCHEMA = new Schema(Types.NestedField.optional(1, "unused", Types.StringType.get()));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Catalog catalog;
  private final TableIdentifier identifier;
  private final TableCatalog tables;
  private Table table;

  TableCheckpointStore(Catalog catalog, String namespace, TableCatalog tables) {
    this.catalog = catalog;
    this.identifier = TableIdentifier.of(Namespace.of(namespace), TABLE_NAME);
    this.tables = tables;
  }

  static String key(TableName table) {
    return PREFIX + table.namespace() + "." + table.name();
  }

  @Override
  public List<Optional<Checkpoint>> load() throws IOException {
    CatalogConnection.createNamespace(catalog, identifier.namespace().level(0));
    table = open();
    List<Optional<Checkpoint>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      Optional<ObjectNode> checkpoint = stored(stream);
      if (checkpoint.isEmpty()) {
        result.add(Optional.empty());
      } else {
        List<RawIdRange> kept;
        try {
          kept = RawIdRange.parseList(checkpoint.get().path(KEPT_RANGES).asText(""));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("The checkpoint property " + key(stream.finalTable()) + " of "
              + identifier + " has unreadable " + KEPT_RANGES + ": " + e.getMessage(), e);
        }
        result.add(Optional.of(new Checkpoint(RawId.parse(checkpoint.get().path("mark").asText()),
            checkpoint.get().path("finished").asBoolean(), kept)));
      }
    }
    return result;
  }

  /**
   * What the properties say now (read again from the catalog). A value of a version before states
   * were recorded reads as minimum generation id 0 and no state.
   */
  @Override
  public List<Optional<StreamProgress>> loadProgress() throws IOException {
    load();
    List<Optional<StreamProgress>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      result.add(stored(stream).map(checkpoint -> new StreamProgress(checkpoint.path("sync_id").asLong(),
          checkpoint.path("generation_id").asLong(), checkpoint.path(MINIMUM_GENERATION_ID).asLong(0),
          checkpoint.path("finished").asBoolean(), state(checkpoint))));
    }
    return result;
  }

  private static String state(JsonNode checkpoint) {
    JsonNode state = checkpoint.get(SOURCE_STATE);
    return state == null || state.isNull() ? null : state.asText();
  }

  /** The stream's property as the table's current metadata holds it (this store's commits included). */
  private Optional<ObjectNode> stored(StreamTables stream) throws IOException {
    String value = table.properties().get(key(stream.finalTable()));
    if (value == null) {
      return Optional.empty();
    }
    JsonNode checkpoint = JSON.readTree(value);
    if (!(checkpoint instanceof ObjectNode object)) {
      throw new IllegalStateException("The checkpoint property " + key(stream.finalTable()) + " of " + identifier
          + " is not a JSON object");
    }
    return Optional.of(object);
  }

  private Table open() {
    if (catalog.tableExists(identifier)) {
      return catalog.loadTable(identifier);
    }
    try {
      return catalog.buildTable(identifier, SCHEMA)
          .withPartitionSpec(PartitionSpec.unpartitioned())
          .withProperty("comment", "destination-iceberg's record of the STATEs each table's rows are covered by")
          .create();
    } catch (AlreadyExistsException created) {
      return catalog.loadTable(identifier);
    }
  }

  /**
   * One commit: each stream starts at {@code floor} with the ids of this attempt, keeping the state
   * recorded in the same generation and dropping one of another generation.
   */
  @Override
  public void begin(RawId floor) throws IOException {
    table.refresh();
    UpdateProperties update = table.updateProperties();
    for (StreamTables stream : tables.tables()) {
      ObjectNode value = value(stream, floor, List.of(), false);
      Optional<ObjectNode> previous = stored(stream);
      if (previous.isPresent() && previous.get().path("generation_id").asLong() == stream.stream().generationId()) {
        String state = state(previous.get());
        if (state != null) {
          value.put(SOURCE_STATE, state);
        }
      }
      update.set(key(stream.finalTable()), JSON.writeValueAsString(value));
    }
    update.commit();
  }

  @Override
  public void advanceCoverage(Map<Integer, Coverage> coverage) throws IOException {
    advanceCoverage(coverage, Map.of());
  }

  /** The coverage and the states in one commit of the properties of the streams they name. */
  @Override
  public void advanceCoverage(Map<Integer, Coverage> coverage, Map<Integer, String> states) throws IOException {
    Set<Integer> changed = new TreeSet<>(coverage.keySet());
    changed.addAll(states.keySet());
    if (changed.isEmpty()) {
      return;
    }
    UpdateProperties update = table.updateProperties();
    for (int index : changed) {
      StreamTables stream = tables.get(index);
      ObjectNode value = stored(stream).orElseThrow(() -> new IllegalStateException("The checkpoint property "
          + key(stream.finalTable()) + " of " + identifier + " is missing: the attempt did not begin"));
      Coverage covered = coverage.get(index);
      if (covered != null) {
        value.put("mark", covered.mark().toString()).put(KEPT_RANGES, RawIdRange.format(covered.keptAbove()));
      }
      String state = states.get(index);
      if (state != null) {
        value.put(SOURCE_STATE, state);
      }
      update.set(key(stream.finalTable()), JSON.writeValueAsString(value));
    }
    update.commit();
  }

  /** Every stream's mark becomes {@code end}, finished; the recorded states stay. */
  @Override
  public void finish(RawId end) throws IOException {
    UpdateProperties update = table.updateProperties();
    for (StreamTables stream : tables.tables()) {
      ObjectNode value = value(stream, end, List.of(), true);
      Optional<String> state = stored(stream).map(TableCheckpointStore::state);
      if (state.isPresent()) {
        value.put(SOURCE_STATE, state.get());
      }
      update.set(key(stream.finalTable()), JSON.writeValueAsString(value));
    }
    update.commit();
  }

  private static ObjectNode value(StreamTables stream, RawId mark, List<RawIdRange> kept, boolean finished) {
    return JSON.createObjectNode()
        .put("mark", mark.toString())
        .put(KEPT_RANGES, RawIdRange.format(kept))
        .put("finished", finished)
        .put("sync_id", stream.stream().syncId())
        .put("generation_id", stream.stream().generationId())
        .put(MINIMUM_GENERATION_ID, stream.stream().minimumGenerationId());
  }
}
