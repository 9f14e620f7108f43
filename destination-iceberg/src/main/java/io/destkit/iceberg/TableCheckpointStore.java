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
 * for none, whether the attempt finished, the sync and generation). Each call is one commit of the properties it
 * changes, made before the STATEs it covers are printed; Iceberg retries a commit that raced another
 * writer's on the refreshed metadata, so syncs of other tables into the same catalog keep theirs.
 */
final class TableCheckpointStore implements CheckpointStore {
  static final String TABLE_NAME = "_destkit_sync_checkpoints";
  static final String PREFIX = "destkit.checkpoint.";
  static final String KEPT_RANGES = "kept_ranges";
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
    Map<String, String> properties = table.properties();
    List<Optional<Checkpoint>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      String value = properties.get(key(stream.finalTable()));
      if (value == null) {
        result.add(Optional.empty());
      } else {
        JsonNode checkpoint = JSON.readTree(value);
        List<RawIdRange> kept;
        try {
          kept = RawIdRange.parseList(checkpoint.path(KEPT_RANGES).asText(""));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("The checkpoint property " + key(stream.finalTable()) + " of "
              + identifier + " has unreadable " + KEPT_RANGES + ": " + e.getMessage(), e);
        }
        result.add(Optional.of(new Checkpoint(
            RawId.parse(checkpoint.path("mark").asText()), checkpoint.path("finished").asBoolean(), kept)));
      }
    }
    return result;
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

  @Override
  public void begin(RawId floor) throws IOException {
    UpdateProperties update = table.updateProperties();
    for (StreamTables stream : tables.tables()) {
      update.set(key(stream.finalTable()), value(stream, floor, List.of(), false));
    }
    update.commit();
  }

  @Override
  public void advanceCoverage(Map<Integer, Coverage> coverage) throws IOException {
    UpdateProperties update = table.updateProperties();
    for (Map.Entry<Integer, Coverage> covered : coverage.entrySet()) {
      StreamTables stream = tables.get(covered.getKey());
      update.set(key(stream.finalTable()),
          value(stream, covered.getValue().mark(), covered.getValue().keptAbove(), false));
    }
    update.commit();
  }

  @Override
  public void finish(RawId end) throws IOException {
    UpdateProperties update = table.updateProperties();
    for (StreamTables stream : tables.tables()) {
      update.set(key(stream.finalTable()), value(stream, end, List.of(), true));
    }
    update.commit();
  }

  private static String value(StreamTables stream, RawId mark, List<RawIdRange> kept, boolean finished)
      throws IOException {
    ObjectNode value = JSON.createObjectNode()
        .put("mark", mark.toString())
        .put(KEPT_RANGES, RawIdRange.format(kept))
        .put("finished", finished)
        .put("sync_id", stream.stream().syncId())
        .put("generation_id", stream.stream().generationId());
    return JSON.writeValueAsString(value);
  }
}
