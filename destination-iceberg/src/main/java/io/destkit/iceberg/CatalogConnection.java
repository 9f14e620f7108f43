package io.destkit.iceberg;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.auth.OAuth2Properties;

/**
 * Opens the config's Iceberg catalog, JDBC (its tables created in the database when missing) or
 * REST; files go through the warehouse's FileIO.
 */
final class CatalogConnection {
  /** Seconds pgjdbc waits for a connection and for its login before it fails. */
  private static final String CONNECT_TIMEOUT_SECONDS = "10";

  private CatalogConnection() {}

  /**
   * @param connections the size of the catalog's connection pool: one per thread that commits at once
   */
  static JdbcCatalog open(IcebergConfig config, int connections) {
    if (!(config.catalog() instanceof IcebergConfig.JdbcCatalogConfig jdbc)) {
      throw new IllegalArgumentException("Not a JDBC catalog: " + config.catalog());
    }
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.URI, jdbc.jdbcUrl());
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, config.warehouseLocation());
    properties.put(CatalogProperties.CLIENT_POOL_SIZE, Integer.toString(connections));
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "user", jdbc.username());
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "password", jdbc.password());
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
      catalog.initialize(jdbc.catalogName(), properties);
    } catch (RuntimeException e) {
      closeAfter(e, catalog);
      throw e;
    }
    return catalog;
  }

  /**
   * Opens the config's catalog, JDBC or REST: a {@link Catalog} that also {@link SupportsNamespaces}
   * and is {@link Closeable}.
   */
  static Catalog connect(IcebergConfig config, int connections) {
    if (config.catalog() instanceof IcebergConfig.RestCatalogConfig rest) {
      return openRest(config, rest);
    }
    return open(config, connections);
  }

  private static RESTCatalog openRest(IcebergConfig config, IcebergConfig.RestCatalogConfig rest) {
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.URI, rest.serverUri());
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, config.warehouseLocation());
    rest.credential().ifPresent(credential -> properties.put(OAuth2Properties.CREDENTIAL, credential));
    rest.token().ifPresent(token -> properties.put(OAuth2Properties.TOKEN, token));
    rest.oauth2ServerUri().ifPresent(uri -> properties.put(OAuth2Properties.OAUTH2_SERVER_URI, uri));
    rest.scope().ifPresent(scope -> properties.put(OAuth2Properties.SCOPE, scope));
    RESTCatalog catalog = new RestCatalogConnection(config.warehouse());
    try {
      catalog.initialize("destkit", properties);
    } catch (RuntimeException e) {
      closeAfter(e, catalog);
      throw e;
    }
    return catalog;
  }

  private static void closeAfter(RuntimeException failure, Closeable catalog) {
    try {
      catalog.close();
    } catch (IOException | RuntimeException closing) {
      failure.addSuppressed(closing);
    }
  }

  /** Closes a catalog that {@link #connect} opened. */
  static void close(Catalog catalog) {
    try {
      ((Closeable) catalog).close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close the catalog " + catalog.name(), e);
    }
  }

  /** Creates the namespace when missing (another writer creating it at the same time is fine). */
  static void createNamespace(Catalog catalog, String namespace) {
    SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
    Namespace name = Namespace.of(namespace);
    if (namespaces.namespaceExists(name)) {
      return;
    }
    try {
      // Not Map.of(): Iceberg's REST request asks it whether it holds a null key, which Map.of() refuses.
      namespaces.createNamespace(name, Collections.emptyMap());
    } catch (AlreadyExistsException created) {
      // Created meanwhile: what was asked.
    }
  }
}
