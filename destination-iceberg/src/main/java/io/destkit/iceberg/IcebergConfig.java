package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The Iceberg destination's config.
 *
 * @param warehouse the local directory or S3 bucket that holds the tables' data and metadata files
 * @param catalog the JDBC catalog that keeps each table's current metadata
 * @param namespace the namespace of streams that have none
 * @param hardDelete whether a CDC delete removes the row of a deduplicated stream (else the
 *     tombstone row is kept)
 */
public record IcebergConfig(Warehouse warehouse, JdbcCatalogConfig catalog, String namespace, boolean hardDelete) {
  public static final String DEFAULT_NAMESPACE = "public";
  public static final String DEFAULT_CATALOG_NAME = "destkit";

  /**
   * Iceberg's JDBC catalog.
   *
   * @param password never printed: {@link #toString()} leaves it out
   */
  public record JdbcCatalogConfig(String jdbcUrl, String username, String password, String catalogName) {
    @Override
    public String toString() {
      return "JdbcCatalogConfig[jdbcUrl=" + jdbcUrl + ", username=" + username + ", catalogName=" + catalogName + "]";
    }
  }

  /** Binds a config that passed the spec's validation. */
  public static IcebergConfig from(JsonNode json) {
    JsonNode catalog = json.path("catalog_type");
    String type = catalog.path("catalog_type").asText("JDBC");
    if (!"JDBC".equals(type)) {
      throw new ConfigErrorException(
          "catalog_type.catalog_type '" + type + "' is not supported: this destination writes through a JDBC catalog"
              + " only. Set it to 'JDBC'.");
    }
    String namespace = catalog.path("namespace").asText(DEFAULT_NAMESPACE);
    String catalogName = catalog.path("catalog_name").asText(DEFAULT_CATALOG_NAME);
    JdbcCatalogConfig jdbc = new JdbcCatalogConfig(
        catalog.path("jdbc_url").asText(), catalog.path("username").asText(), catalog.path("password").asText(""),
        catalogName.isBlank() ? DEFAULT_CATALOG_NAME : catalogName);
    boolean hardDelete = !"Soft delete".equals(json.path("cdc_deletion_mode").asText("Hard delete"));
    return new IcebergConfig(
        warehouse(json.path("warehouse_location").asText(), json), jdbc, namespace.isBlank() ? DEFAULT_NAMESPACE : namespace,
        hardDelete);
  }

  /** An {@code s3://bucket/path} URI, or a local directory given as a {@code file:} URI or an absolute path. */
  static Warehouse warehouse(String location, JsonNode json) {
    if (location.startsWith(S3Warehouse.SCHEME)) {
      return S3Warehouse.from(location, json);
    }
    return new Warehouse.Local(localDirectory(location));
  }

  static Path localDirectory(String location) {
    if (location.startsWith("file:")) {
      try {
        return Path.of(URI.create(location));
      } catch (IllegalArgumentException e) {
        throw new ConfigErrorException(
            "warehouse_location '" + location + "' is not a valid file: URI (" + e.getMessage() + "). Give it as"
                + " file:///absolute/path or as an absolute path.", e);
      }
    }
    if (location.contains("://")) {
      throw new ConfigErrorException(
          "warehouse_location '" + location + "' is neither on S3 nor on the local file system: give it as"
              + " s3://bucket/path, file:///absolute/path or an absolute path.");
    }
    Path path = Path.of(location);
    if (!path.isAbsolute()) {
      throw new ConfigErrorException(
          "warehouse_location '" + location + "' is a relative path; give an absolute path (or a file:// URI), since"
              + " engines reading the tables resolve it from elsewhere.");
    }
    return path.normalize();
  }

  /** The warehouse as Iceberg locations start: {@code file:/absolute/path} or {@code s3://bucket/path}. */
  public String warehouseLocation() {
    return warehouse.location();
  }
}
