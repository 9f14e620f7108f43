package io.destkit.iceberg;

import io.destkit.core.ConfigErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Types;

/**
 * The check of a config: connects to the catalog, creates the namespace when missing, then
 * creates a probe table, commits one row to it as a sync would (a zstd Parquet file), reads the
 * row back and drops the table with its files and directories.
 */
final class ConnectionCheck {
  private static final Schema PROBE = new Schema(
      Types.NestedField.required(1, "id", Types.StringType.get()),
      Types.NestedField.optional(2, "value", Types.LongType.get()));

  private ConnectionCheck() {}

  static void run(IcebergConfig config) throws IOException {
    config.warehouse().prepare();
    Catalog catalog = CatalogConnection.connect(config, 1);
    try {
      CatalogConnection.createNamespace(catalog, config.namespace());
      TableIdentifier probe = TableIdentifier.of(
          Namespace.of(config.namespace()), "_destkit_check_" + UUID.randomUUID().toString().replace("-", ""));
      Table table = catalog.buildTable(probe, PROBE)
          .withPartitionSpec(PartitionSpec.unpartitioned())
          .withProperties(StreamTable.FORMAT)
          .create();
      try {
        writeAndReadBack(table);
      } finally {
        drop(catalog, probe, table, config.warehouse());
      }
    } finally {
      CatalogConnection.close(catalog);
    }
  }

  /**
   * Drops the probe table with its files. On S3 they are deleted one by one: Iceberg's purge deletes
   * them in batches, a request some S3-compatible servers refuse with the checksum the AWS SDK sends.
   */
  private static void drop(Catalog catalog, TableIdentifier probe, Table table, Warehouse warehouse)
      throws IOException {
    if (warehouse instanceof Warehouse.Local) {
      catalog.dropTable(probe, true);
      removeEmptyDirectories(LocalFileIO.path(table.location()));
      return;
    }
    catalog.dropTable(probe, false);
    FileIO io = table.io();
    List<String> files = new ArrayList<>();
    for (FileInfo file : ((SupportsPrefixOperations) io).listPrefix(table.location() + "/")) {
      files.add(file.location());
    }
    files.forEach(io::deleteFile);
  }

  /** The probe's directories, which dropping the table empties but leaves. */
  private static void removeEmptyDirectories(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    List<Path> directories;
    try (Stream<Path> tree = Files.walk(directory)) {
      directories = tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
    }
    for (Path empty : directories) {
      try (Stream<Path> entries = Files.list(empty)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.delete(empty);
    }
  }

  private static void writeAndReadBack(Table table) throws IOException {
    String id = UUID.randomUUID().toString();
    GenericRecord record = GenericRecord.create(table.schema());
    record.setField("id", id);
    record.setField("value", 42L);
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer = ParquetBatchWriter.dataWriter(table, table.io().newOutputFile(location));
    try (writer) {
      writer.write(record);
    }
    DataFile file = writer.toDataFile();
    table.newAppend().appendFile(file).commit();
    List<Record> read = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(read::add);
    }
    if (read.size() != 1 || !id.equals(read.get(0).getField("id"))) {
      throw new ConfigErrorException(
          "The probe table " + table.name() + " did not read back the row just committed to it (" + read.size()
              + " rows). Check that 'warehouse_location' is not shared with another catalog that removes files.");
    }
  }
}
