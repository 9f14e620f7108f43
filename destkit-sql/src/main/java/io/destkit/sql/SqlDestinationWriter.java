package io.destkit.sql;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.StreamLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writer of every SQL destination: creates the namespaces, then picks each stream's loader from
 * its catalog entry. A destination gives only its table operations, its bulk loader and what to
 * release at teardown.
 */
public class SqlDestinationWriter implements DestinationWriter {
  /** The field whose non-null value marks a CDC delete. */
  public static final String CDC_DELETED_AT = "_ab_cdc_deleted_at";

  private final TableCatalog tables;
  private final TableOperations operations;
  private final BulkLoader bulkLoader;
  private final boolean hardDelete;
  private final AutoCloseable resources;
  private final SqlCheckpointStore checkpoints;

  public SqlDestinationWriter(
      TableCatalog tables, TableOperations operations, BulkLoader bulkLoader, boolean hardDelete, AutoCloseable resources) {
    this.tables = tables;
    this.operations = operations;
    this.bulkLoader = bulkLoader;
    this.hardDelete = hardDelete;
    this.resources = resources;
    this.checkpoints = new SqlCheckpointStore(operations, tables);
  }

  public SqlDestinationWriter(
      TableCatalog tables, TableOperations operations, BulkLoader bulkLoader, AutoCloseable resources) {
    this(tables, operations, bulkLoader, true, resources);
  }

  @Override
  public void setup() throws Exception {
    Set<String> namespaces = new LinkedHashSet<>();
    for (StreamTables table : tables.tables()) {
      namespaces.add(table.finalTable().namespace());
      namespaces.add(table.tempTable().namespace());
    }
    for (String namespace : namespaces) {
      operations.createNamespace(namespace);
    }
  }

  /**
   * Minimum generation 0 appends or dedupes; a minimum generation equal to the generation truncates
   * (append-truncate or dedupe-truncate); any other pair is refused.
   */
  @Override
  public StreamLoader createStreamLoader(StreamTables streamTables) {
    DestinationStream stream = streamTables.stream();
    boolean dedupe = stream.importType() instanceof ImportType.Dedupe;
    if (stream.minimumGenerationId() == 0) {
      return dedupe
          ? new DedupeStreamLoader(operations, bulkLoader, streamTables, upsertSpec(streamTables), false)
          : new AppendStreamLoader(operations, bulkLoader, streamTables);
    }
    if (stream.minimumGenerationId() == stream.generationId()) {
      return dedupe
          ? new DedupeStreamLoader(operations, bulkLoader, streamTables, upsertSpec(streamTables), true)
          : new AppendTruncateStreamLoader(operations, bulkLoader, streamTables);
    }
    throw new ConfigErrorException(
        "Stream '" + stream.descriptor() + "' has minimum_generation_id " + stream.minimumGenerationId()
            + " and generation_id " + stream.generationId()
            + ": a refresh that keeps some older generations is not supported. Use minimum_generation_id 0"
            + " (keep all data) or equal to generation_id (replace the data).");
  }

  private UpsertSpec upsertSpec(StreamTables streamTables) {
    DestinationStream stream = streamTables.stream();
    ImportType.Dedupe dedupe = (ImportType.Dedupe) stream.importType();
    if (dedupe.primaryKey().isEmpty()) {
      throw new ConfigErrorException(
          "Stream '" + stream.descriptor() + "' uses append_dedup but has no primary_key in the catalog.");
    }
    List<String> key = new ArrayList<>();
    for (List<String> path : dedupe.primaryKey()) {
      String field = path.isEmpty() ? "" : path.get(0);
      key.add(column(streamTables, field).orElseThrow(() -> new ConfigErrorException(
          "Stream '" + stream.descriptor() + "': primary key field '" + field + "' is not in the stream's schema.")));
    }
    Optional<String> cursor = Optional.empty();
    if (!dedupe.cursor().isEmpty()) {
      String field = dedupe.cursor().get(0);
      cursor = Optional.of(column(streamTables, field).orElseThrow(() -> new ConfigErrorException(
          "Stream '" + stream.descriptor() + "': cursor field '" + field + "' is not in the stream's schema.")));
    }
    List<String> columns = new ArrayList<>(io.destkit.core.catalog.MetaColumns.ALL);
    streamTables.columns().forEach(column -> columns.add(column.name()));
    return new UpsertSpec(
        streamTables.tempTable(), streamTables.finalTable(), columns, key, keyTypes(streamTables, key), cursor,
        column(streamTables, CDC_DELETED_AT), hardDelete);
  }

  private static Map<String, AirbyteType> keyTypes(StreamTables streamTables, List<String> key) {
    Map<String, AirbyteType> types = new HashMap<>();
    for (ColumnDef column : streamTables.columns()) {
      if (key.contains(column.name())) {
        types.put(column.name(), column.type());
      }
    }
    return types;
  }

  private static Optional<String> column(StreamTables streamTables, String field) {
    for (ColumnDef column : streamTables.columns()) {
      if (field.equals(column.sourceName())) {
        return Optional.of(column.name());
      }
    }
    return Optional.empty();
  }

  /** The checkpoint table {@value SqlCheckpointStore#TABLE_NAME} in the internal namespace. */
  @Override
  public SqlCheckpointStore checkpoints() {
    return checkpoints;
  }

  @Override
  public void teardown() throws Exception {
    resources.close();
  }
}
