package io.destkit.iceberg;

import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;

/**
 * Opens Iceberg's JDBC catalog for a config: files through the warehouse's FileIO, the catalog's
 * tables created in the database when missing.
 */
final class CatalogConnection {
  /** Seconds pgjdbc waits for a connection and for its login before it fails. */
  private static final String CONNECT_TIMEOUT_SECONDS = "10";

  private CatalogConnection() {}

  /**
   * @param connections the size of the catalog's connection pool: one per thread that commits at once
   */
  static JdbcCatalog open(IcebergConfig config, int connections) {
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.URI, config.catalog().jdbcUrl());
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, config.warehouseLocation());
    properties.put(CatalogProperties.CLIENT_POOL_SIZE, Integer.toString(connections));
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "user", config.catalog().username());
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "password", config.catalog().password());
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "connectTimeout", CONNECT_TIMEOUT_SECONDS);
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "loginTimeout", CONNECT_TIMEOUT_SECONDS);
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "ApplicationName", "destination-iceberg");
    // V1 of the catalog's tables also keeps views; Iceberg migrates a V0 catalog's tables to it.
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "schema-version", "V1");
    JdbcCatalog catalog = new JdbcCatalog(
        ignored -> config.warehouse().openFileIO(),
        props -> new JdbcClientPool(props.get(CatalogProperties.URI), props),
        true);
    try {
      catalog.initialize(config.catalog().catalogName(), properties);
    } catch (RuntimeException e) {
      try {
        catalog.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return catalog;
  }

  /** Creates the namespace when missing (another writer creating it at the same time is fine). */
  static void createNamespace(JdbcCatalog catalog, String namespace) {
    Namespace name = Namespace.of(namespace);
    if (catalog.namespaceExists(name)) {
      return;
    }
    try {
      catalog.createNamespace(name, Map.of());
    } catch (AlreadyExistsException created) {
      // Created meanwhile: what was asked.
    }
  }
}
