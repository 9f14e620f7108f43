package io.destkit.iceberg;

import io.destkit.core.catalog.MetaColumns;
import io.destkit.testkit.e2e.CrashTables;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The crash suite's reads of an Iceberg destination on a JDBC catalog: the tables through the
 * catalog, opened apart from the connector; rows of {@code main} (deletes applied) with Iceberg's
 * generic reader; the recorded raw ids from the destination's checkpoint table in the catalog's
 * database ({@link JdbcCheckpointStore#TABLE_NAME}), read with plain JDBC.
 */
final class IcebergCrashTables implements CrashTables {
  private final IcebergConfig.JdbcCatalogConfig jdbc;
  private final JdbcCatalog catalog;

  IcebergCrashTables(IcebergConfig config) {
    this.jdbc = (IcebergConfig.JdbcCatalogConfig) config.catalog();
    this.catalog = CatalogConnection.open(config, 1);
  }

  @Override
  public List<String> tables() {
    List<String> tables = new ArrayList<>();
    for (Namespace namespace : catalog.listNamespaces()) {
      for (TableIdentifier table : catalog.listTables(namespace)) {
        tables.add(namespace + "." + table.name());
      }
    }
    tables.sort(null);
    return tables;
  }

  @Override
  public List<Row> rows(String namespace, String name) throws IOException {
    Table table = catalog.loadTable(TableIdentifier.of(Namespace.of(namespace), name));
    List<Row> rows = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return rows;
    }
    try (CloseableIterable<Record> records = IcebergGenerics.read(table)
        .select("id", "sync", "seq", MetaColumns.GENERATION_ID, MetaColumns.RAW_ID)
        .build()) {
      for (Record record : records) {
        rows.add(new Row((Long) record.getField("id"), (Long) record.getField("sync"), (Long) record.getField("seq"),
            (Long) record.getField(MetaColumns.GENERATION_ID), (String) record.getField(MetaColumns.RAW_ID)));
      }
    }
    return rows;
  }

  @Override
  public long count(String namespace, String table) throws IOException {
    return rows(namespace, table).size();
  }

  @Override
  public Map<String, String> recordedRawIds(String namespace) throws SQLException {
    Map<String, String> recorded = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(jdbc.jdbcUrl(), jdbc.username(), jdbc.password())) {
      try (ResultSet exists = connection.getMetaData().getTables(null, null, JdbcCheckpointStore.TABLE_NAME, null)) {
        if (!exists.next()) {
          return recorded;
        }
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT table_name, committed_raw_id FROM "
          + JdbcCheckpointStore.TABLE_NAME + " WHERE catalog_name = ? AND table_namespace = ?")) {
        select.setString(1, jdbc.catalogName());
        select.setString(2, namespace);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            recorded.put(rows.getString(1), rows.getString(2));
          }
        }
      }
    }
    return recorded;
  }

  @Override
  public void close() {
    catalog.close();
  }
}
