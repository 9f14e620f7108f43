package io.destkit.sql;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.StreamLoader;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The writer of every SQL destination: creates the namespaces, then picks each stream's loader from
 * its catalog entry. A destination gives only its table operations, its bulk loader and what to do
 * at teardown.
 */
public class SqlDestinationWriter implements DestinationWriter {
  private final TableCatalog tables;
  private final TableOperations operations;
  private final BulkLoader bulkLoader;
  private final AutoCloseable resources;

  public SqlDestinationWriter(
      TableCatalog tables, TableOperations operations, BulkLoader bulkLoader, AutoCloseable resources) {
    this.tables = tables;
    this.operations = operations;
    this.bulkLoader = bulkLoader;
    this.resources = resources;
  }

  @Override
  public void setup() throws Exception {
    Set<String> namespaces = new LinkedHashSet<>();
    for (StreamTables table : tables.tables()) {
      namespaces.add(table.finalTable().namespace());
    }
    for (String namespace : namespaces) {
      operations.createNamespace(namespace);
    }
  }

  @Override
  public StreamLoader createStreamLoader(StreamTables streamTables) {
    DestinationStream stream = streamTables.stream();
    if (stream.minimumGenerationId() == 0 && !(stream.importType() instanceof ImportType.Dedupe)) {
      return new AppendStreamLoader(operations, bulkLoader, streamTables);
    }
    throw new ConfigErrorException(
        "Stream '" + stream.descriptor() + "' asks for " + describe(stream)
            + ", which this destination does not support yet. Supported: append and overwrite with"
            + " minimum_generation_id 0 (rows are appended).");
  }

  private static String describe(DestinationStream stream) {
    String mode = stream.importType() instanceof ImportType.Dedupe ? "append_dedup" : "a truncate refresh";
    return mode + " (generation_id " + stream.generationId() + ", minimum_generation_id "
        + stream.minimumGenerationId() + ")";
  }

  @Override
  public void teardown() throws Exception {
    resources.close();
  }
}
