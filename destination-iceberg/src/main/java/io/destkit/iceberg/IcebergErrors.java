package io.destkit.iceberg;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.operation.ErrorClassifier;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchWarehouseException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Tells the failures the user fixes in the config (the catalog's database unreachable, unknown or
 * refusing the login; a REST catalog refusing the credentials, refusing a call (403, told apart by
 * the call: configuration, namespace or table) or not having the warehouse; the warehouse directory
 * not writable; the S3 bucket missing, in another region, its credentials refused or its endpoint
 * unreachable) from the others, and says which field to fix. Messages never hold the password
 * (pgjdbc's do not either).
 */
final class IcebergErrors implements ErrorClassifier {
  private final IcebergConfig config;

  IcebergErrors(IcebergConfig config) {
    this.config = config;
  }

  @Override
  public Optional<ConfigErrorException> configError(Throwable failure) {
    return Optional.ofNullable(classify(failure));
  }

  private ConfigErrorException classify(Throwable failure) {
    if (config.catalog() instanceof IcebergConfig.RestCatalogConfig rest) {
      return classifyRest(failure, rest);
    }
    IcebergConfig.JdbcCatalogConfig jdbc = (IcebergConfig.JdbcCatalogConfig) config.catalog();
    String url = "'" + jdbc.jdbcUrl() + "'";
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConfigErrorException known) {
        return known;
      }
      Optional<ConfigErrorException> storage = storageError(t, failure);
      if (storage != null) {
        return storage.orElse(null);
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = " (SQL state " + sql.getSQLState() + ")";
        switch (sql.getSQLState()) {
          case "28P01", "28000" -> {
            return new ConfigErrorException(
                "The catalog's database refused the login of user '" + jdbc.username() + "'" + state
                    + ": wrong password, or no such user. Check the fields 'catalog_type.username' and"
                    + " 'catalog_type.password'.", failure);
          }
          case "3D000" -> {
            return new ConfigErrorException(
                "The catalog's database in " + url + " does not exist" + state + ". Check the field"
                    + " 'catalog_type.jdbc_url', or create the database.", failure);
          }
          case "42501" -> {
            return new ConfigErrorException(
                "User '" + jdbc.username() + "' lacks a privilege in the catalog's database ("
                    + firstLine(sql) + ")" + state + ". It must be able to create tables in its default schema"
                    + " and write them; grant that, or use another user.", failure);
          }
          case "08001", "08004" -> {
            return unreachable(url, failure);
          }
          default -> { }
        }
      }
      if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return unreachable(url, failure);
      }
      if (t instanceof AccessDeniedException denied) {
        return new ConfigErrorException(
            "Cannot write " + denied.getFile() + " under the warehouse: permission denied. Check the field"
                + " 'warehouse_location', and that this user may write there.", failure);
      }
      if (t instanceof FileSystemException fs && fs.getFile() != null
          && config.warehouse() instanceof Warehouse.Local local
          && fs.getFile().startsWith(local.directory().toString()) && isReadOnly(fs)) {
        return new ConfigErrorException(
            "Cannot write " + fs.getFile() + " under the warehouse (" + fs.getReason() + "). Check the field"
                + " 'warehouse_location'.", failure);
      }
    }
    return null;
  }

  /**
   * The config error of an S3 failure, or empty for an S3 failure that is not the config's (and so
   * not the catalog's either); null when {@code t} is no S3 failure.
   */
  private Optional<ConfigErrorException> storageError(Throwable t, Throwable failure) {
    if (config.warehouse() instanceof S3Warehouse s3) {
      Optional<ConfigErrorException> storage = S3Errors.classify(t, s3, failure);
      if (storage.isPresent() || t instanceof SdkException) {
        return storage;
      }
    }
    return null;
  }

  private ConfigErrorException classifyRest(Throwable failure, IcebergConfig.RestCatalogConfig rest) {
    String uri = "'" + rest.serverUri() + "'";
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConfigErrorException known) {
        return known;
      }
      Optional<ConfigErrorException> storage = storageError(t, failure);
      if (storage != null) {
        return storage.orElse(null);
      }
      if (t instanceof NotAuthorizedException) {
        return new ConfigErrorException(
            "The REST catalog at " + uri + " refused the credentials (HTTP 401: " + firstLine(t) + "). Check the"
                + " field 'catalog_type.token', or 'catalog_type.credential' (client_id:client_secret) and"
                + " 'catalog_type.oauth2_server_uri'.", failure);
      }
      if (t instanceof ForbiddenException) {
        return forbidden(t, rest, uri, failure);
      }
      if (t instanceof NoSuchWarehouseException) {
        return new ConfigErrorException(
            "The REST catalog at " + uri + " has no warehouse '" + config.warehouseLocation() + "' (HTTP 404: "
                + firstLine(t) + "). Check the field 'warehouse_location': for a REST catalog it is the name of"
                + " the catalog or warehouse on the server (Polaris, Lakekeeper) or its location.", failure);
      }
      if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return new ConfigErrorException(
            "Cannot connect to the REST catalog at " + uri + ": the host is unknown or nothing accepts connections"
                + " there. Check the field 'catalog_type.server_uri' (scheme, host, port and path), and that the"
                + " server runs and accepts connections from this host.", failure);
      }
    }
    return null;
  }

  /**
   * Which call of Iceberg's REST client a failure came from, by the first frame of its stack in
   * Iceberg's REST session catalog or table operations (Iceberg's exceptions do not carry the
   * request): its configuration call, a namespace call, or a table call (load, create, commit).
   */
  enum RestCall { CONFIG, NAMESPACE, TABLE, OTHER }

  static RestCall restCall(Throwable t) {
    for (StackTraceElement frame : t.getStackTrace()) {
      String type = frame.getClassName();
      if (!type.startsWith("org.apache.iceberg.rest.RESTSessionCatalog")
          && !type.startsWith("org.apache.iceberg.rest.RESTTableOperations")) {
        continue;
      }
      String method = frame.getMethodName();
      if (method.contains("Config") || method.equals("initialize")) {
        return RestCall.CONFIG;
      }
      return method.contains("Namespace") ? RestCall.NAMESPACE : RestCall.TABLE;
    }
    return RestCall.OTHER;
  }

  /** A 403 of the REST catalog: the principal may not do what the call asked; names the fields to fix. */
  private ConfigErrorException forbidden(
      Throwable t, IcebergConfig.RestCatalogConfig rest, String uri, Throwable failure) {
    String credentials = rest.token().isPresent() ? "'catalog_type.token'"
        : rest.credential().isPresent() ? "'catalog_type.credential'"
        : "no credentials (set 'catalog_type.credential' or 'catalog_type.token')";
    String refused = " (HTTP 403: " + firstLine(t) + ")";
    String message = switch (restCall(t)) {
      case CONFIG -> "The REST catalog at " + uri + " refused its configuration for warehouse '"
          + config.warehouseLocation() + "' to " + credentials + refused + ". Check the field 'warehouse_location'"
          + " (the name of the catalog or warehouse on the server, for Polaris and Lakekeeper), and that the"
          + " principal of " + credentials + " may use it.";
      case NAMESPACE -> "The REST catalog at " + uri + " refused a namespace operation to " + credentials + refused
          + ". The destination creates and reads the namespace of 'catalog_type.namespace' ('" + config.namespace()
          + "') and each stream's: grant the principal of " + credentials + " that on them, or check the field"
          + " 'catalog_type.namespace'.";
      case TABLE -> "The REST catalog at " + uri + " refused a table operation (create, load or commit) to "
          + credentials + refused + ". Grant the principal of " + credentials + " the right to create tables in"
          + " the namespaces of the streams and of 'catalog_type.namespace' ('" + config.namespace() + "') and to"
          + " write them, or use other credentials.";
      case OTHER -> "The REST catalog at " + uri + " refused an operation to " + credentials + refused + ". Grant"
          + " the principal of " + credentials + " the right to create namespaces and tables and to write them,"
          + " or use other credentials.";
    };
    return new ConfigErrorException(message, failure);
  }

  private static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static boolean isReadOnly(FileSystemException fs) {
    return fs.getReason() != null && fs.getReason().toLowerCase(Locale.ROOT).contains("read-only");
  }

  private static ConfigErrorException unreachable(String url, Throwable failure) {
    return new ConfigErrorException(
        "Cannot connect to the catalog's database at " + url + ": the host is unknown or nothing accepts"
            + " connections there. Check the field 'catalog_type.jdbc_url' (host and port), and that the server"
            + " runs and accepts connections from this host.", failure);
  }
}
