package io.destkit.iceberg;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.DedupeColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.StreamLoader;
import io.destkit.core.write.SyncLog;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.catalog.Catalog;

/**
 * The writer of one sync into Iceberg tables: creates the namespaces, then picks each stream's
 * loader from its catalog entry: minimum generation 0 writes main, a truncate refresh its branch;
 * either appends or dedupes.
 */
final class IcebergDestinationWriter implements DestinationWriter {
  private final Catalog catalog;
  private final TableCatalog tables;
  private final CheckpointStore checkpoints;
  private final boolean hardDelete;
  private final SyncLog log;
  private final boolean dropRemovedColumns;

  IcebergDestinationWriter(Catalog catalog, TableCatalog tables, IcebergConfig config, SyncLog log) {
    this.catalog = catalog;
    this.log = log;
    this.dropRemovedColumns = config.dropRemovedColumns();
    this.tables = tables;
    this.hardDelete = config.hardDelete();
    this.checkpoints = config.catalog() instanceof IcebergConfig.JdbcCatalogConfig jdbc
        ? new JdbcCheckpointStore(jdbc, tables)
        : new TableCheckpointStore(catalog, config.namespace(), tables);
  }

  @Override
  public void setup() {
    Set<String> namespaces = new LinkedHashSet<>();
    for (StreamTables table : tables.tables()) {
      namespaces.add(table.finalTable().namespace());
    }
    for (String namespace : namespaces) {
      CatalogConnection.createNamespace(catalog, namespace);
    }
  }

  @Override
  public StreamLoader createStreamLoader(StreamTables streamTables) {
    DestinationStream stream = streamTables.stream();
    Optional<DedupeColumns> dedupe = stream.importType() instanceof ImportType.Dedupe
        ? Optional.of(DedupeColumns.of(streamTables))
        : Optional.empty();
    if (stream.minimumGenerationId() == 0) {
      return new DirectStreamLoader(catalog, streamTables, dedupe, hardDelete, dropRemovedColumns, log);
    }
    if (stream.minimumGenerationId() == stream.generationId()) {
      return new TruncateStreamLoader(catalog, streamTables, dedupe, hardDelete, log);
    }
    throw new ConfigErrorException(
        "Stream '" + stream.descriptor() + "' has minimum_generation_id " + stream.minimumGenerationId()
            + " and generation_id " + stream.generationId()
            + ": a refresh that keeps some older generations is not supported. Use minimum_generation_id 0"
            + " (keep all data) or equal to generation_id (replace the data).");
  }

  @Override
  public CheckpointStore checkpoints() {
    return checkpoints;
  }

  @Override
  public void teardown() {
    if (checkpoints instanceof JdbcCheckpointStore jdbc) {
      jdbc.close();
    }
    CatalogConnection.close(catalog);
  }

  @Override
  public void close() {
    teardown();
  }
}
