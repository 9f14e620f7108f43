package io.destkit.sql;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.DedupeColumns;
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
import java.util.Set;

/**
 * The writer of every SQL destination: creates the namespaces, then picks each stream's loader from
 * its catalog entry. A destination gives only its table operations, its bulk loader and what to
 * release at teardown.
 */
public class SqlDestinationWriter implements DestinationWriter {
  /** The field whose non-null value marks a CDC delete. */
  public static final String CDC_DELETED_AT = DedupeColumns.CDC_DELETED_AT;

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
    DedupeColumns dedupe = DedupeColumns.of(streamTables);
    List<String> columns = new ArrayList<>(io.destkit.core.catalog.MetaColumns.ALL);
    streamTables.columns().forEach(column -> columns.add(column.name()));
    return new UpsertSpec(
        streamTables.tempTable(), streamTables.finalTable(), columns, dedupe.primaryKey(),
        keyTypes(streamTables, dedupe.primaryKey()), dedupe.cursor(), dedupe.cdcDeletedAt(), hardDelete);
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
