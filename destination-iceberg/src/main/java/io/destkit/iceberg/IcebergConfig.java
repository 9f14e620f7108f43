package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Iceberg destination's config.
 *
 * @param warehouse the local directory or S3 bucket that holds the tables' data and metadata files
 * @param catalog the catalog that keeps each table's current metadata: JDBC or REST
 * @param namespace the namespace of streams that have none
 * @param hardDelete whether a CDC delete removes the row of a deduplicated stream (else the
 *     tombstone row is kept)
 * @param dropRemovedColumns {@code drop_removed_columns}: whether a sync that completes a stream
 *     drops its table's columns the stream no longer has
 */
public record IcebergConfig(
    Warehouse warehouse, CatalogConfig catalog, String namespace, boolean hardDelete, boolean dropRemovedColumns) {
  public static final String DEFAULT_NAMESPACE = "public";
  public static final String DEFAULT_CATALOG_NAME = "destkit";

  /** The catalog of the config's {@code catalog_type}. */
  public sealed interface CatalogConfig permits JdbcCatalogConfig, RestCatalogConfig {}

  /**
   * Iceberg's JDBC catalog.
   *
   * @param password never printed: {@link #toString()} leaves it out
   */
  public record JdbcCatalogConfig(String jdbcUrl, String username, String password, String catalogName)
      implements CatalogConfig {
    @Override
    public String toString() {
      return "JdbcCatalogConfig[jdbcUrl=" + jdbcUrl + ", username=" + username + ", catalogName=" + catalogName + "]";
    }
  }

  /**
   * A catalog speaking Iceberg's REST protocol (Polaris, Nessie, Lakekeeper, Gravitino, AWS Glue's
   * Iceberg endpoint, ...).
   *
   * @param serverUri the catalog's base URI (requests go to {@code <serverUri>/v1/...})
   * @param credential an OAuth2 client credential {@code client_id:client_secret} (or a secret
   *     alone), exchanged for a token at the catalog's token endpoint; never printed
   * @param token a bearer token sent as it is; never printed
   * @param oauth2ServerUri the token endpoint, when not the catalog's own {@code v1/oauth/tokens}
   * @param scope the OAuth2 scope asked for with the credential
   */
  public record RestCatalogConfig(
      String serverUri, Optional<String> credential, Optional<String> token, Optional<String> oauth2ServerUri,
      Optional<String> scope) implements CatalogConfig {
    @Override
    public String toString() {
      return "RestCatalogConfig[serverUri=" + serverUri + ", credential=" + (credential.isPresent() ? "(set)" : "none")
          + ", token=" + (token.isPresent() ? "(set)" : "none") + ", oauth2ServerUri=" + oauth2ServerUri
          + ", scope=" + scope + "]";
    }
  }

  private static Optional<String> text(JsonNode json, String field) {
    String value = json.path(field).asText("").strip();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Binds a config that passed the spec's validation. */
  public static IcebergConfig from(JsonNode json) {
    JsonNode catalog = json.path("catalog_type");
    String type = catalog.path("catalog_type").asText("JDBC");
    String namespace = catalog.path("namespace").asText(DEFAULT_NAMESPACE);
    CatalogConfig bound;
    if ("REST".equals(type)) {
      bound = new RestCatalogConfig(
          catalog.path("server_uri").asText(), text(catalog, "credential"), text(catalog, "token"),
          text(catalog, "oauth2_server_uri"), text(catalog, "scope"));
    } else if ("JDBC".equals(type)) {
      String catalogName = catalog.path("catalog_name").asText(DEFAULT_CATALOG_NAME);
      bound = new JdbcCatalogConfig(
          catalog.path("jdbc_url").asText(), catalog.path("username").asText(), catalog.path("password").asText(""),
          catalogName.isBlank() ? DEFAULT_CATALOG_NAME : catalogName);
    } else {
      throw new ConfigErrorException(
          "catalog_type.catalog_type '" + type + "' is not supported: this destination writes through a JDBC or a"
              + " REST catalog. Set it to 'JDBC' or 'REST'.");
    }
    boolean hardDelete = !"Soft delete".equals(json.path("cdc_deletion_mode").asText("Hard delete"));
    return new IcebergConfig(
        warehouse(json.path("warehouse_location").asText(), json), bound, namespace.isBlank() ? DEFAULT_NAMESPACE : namespace,
        hardDelete, json.path("drop_removed_columns").asBoolean(false));
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
