package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.ProtocolMessage;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

/**
 * Per test, a JDBC catalog in a PostgreSQL database of its own (on the JVM's one embedded server,
 * owned by a role that logs in with a password) and a warehouse directory of its own; tables are
 * read back with Iceberg's own generic reader.
 */
final class IcebergFixture {
  static final String WRITER = "destkit_iceberg_writer";
  static final String WRITER_PASSWORD = "Ice-writer-pass-4b7d";

  final String database;
  final Path warehouse;

  IcebergFixture(Path directory) {
    this.database = PostgresServer.nameFor("destkit_iceberg", directory.toAbsolutePath().toString());
    this.warehouse = directory.resolve("warehouse");
    PostgresServer server = server();
    server.createDatabase(database, WRITER);
  }

  static synchronized PostgresServer server() {
    PostgresServer server = PostgresServer.get();
    server.createRole(WRITER, WRITER_PASSWORD);
    return server;
  }

  static String jdbcUrl(int port, String database) {
    return "jdbc:postgresql://" + PostgresServer.HOST + ":" + port + "/" + database;
  }

  ObjectNode config() {
    ObjectNode config = MessageCodec.MAPPER.createObjectNode();
    config.put("warehouse_location", warehouse.toUri().toString());
    ObjectNode catalog = config.putObject("catalog_type");
    catalog.put("catalog_type", "JDBC");
    catalog.put("jdbc_url", jdbcUrl(server().port(), database));
    catalog.put("username", WRITER);
    catalog.put("password", WRITER_PASSWORD);
    catalog.put("catalog_name", "test_catalog");
    catalog.put("namespace", "public");
    return config;
  }

  /** The catalog the config points at, opened apart from any sync. */
  JdbcCatalog openCatalog() {
    return CatalogConnection.open(IcebergConfig.from(config()), 1);
  }

  Table table(String namespace, String name) {
    try (JdbcCatalog catalog = openCatalog()) {
      return catalog.loadTable(TableIdentifier.of(Namespace.of(namespace), name));
    }
  }

  boolean tableExists(String namespace, String name) {
    try (JdbcCatalog catalog = openCatalog()) {
      return catalog.tableExists(TableIdentifier.of(Namespace.of(namespace), name));
    }
  }

  /** Every row readers see (the table's main branch), each as column name to value. */
  List<Map<String, Object>> rows(String namespace, String name) {
    return rows(table(namespace, name), null);
  }

  /** The rows of a snapshot of the table, or of its main branch when {@code snapshot} is null. */
  static List<Map<String, Object>> rows(Table table, Snapshot snapshot) {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return rows;
    }
    IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table);
    if (snapshot != null) {
      scan = scan.useSnapshot(snapshot.snapshotId());
    }
    try (CloseableIterable<Record> records = scan.build()) {
      for (Record record : records) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Types.NestedField field : table.schema().columns()) {
          row.put(field.name(), record.getField(field.name()));
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** The {@code destinationStats.recordCount} of each STATE the run printed, in order. */
  static List<Long> recordCounts(ConnectorRun run) {
    List<Long> counts = new ArrayList<>();
    for (ProtocolMessage message : run.messages(MessageType.STATE)) {
      JsonNode stats = message.json().path("state").path("destinationStats").path("recordCount");
      counts.add(stats.asLong());
    }
    return counts;
  }
}
