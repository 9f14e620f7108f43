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

/**
 * Tells the failures the user fixes in the config (the catalog's database unreachable, unknown or
 * refusing the login; the warehouse directory not writable; the S3 bucket missing, its credentials
 * refused or its endpoint unreachable) from the others, and says which field to fix. Messages never hold the password (pgjdbc's do not either).
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
    String url = "'" + config.catalog().jdbcUrl() + "'";
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConfigErrorException known) {
        return known;
      }
      if (config.warehouse() instanceof S3Warehouse s3) {
        Optional<ConfigErrorException> storage = S3Errors.classify(t, s3, failure);
        if (storage.isPresent()) {
          return storage.get();
        }
        if (t instanceof software.amazon.awssdk.core.exception.SdkException) {
          // An S3 failure that is not the config's: not the catalog's database either.
          return null;
        }
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = " (SQL state " + sql.getSQLState() + ")";
        switch (sql.getSQLState()) {
          case "28P01", "28000" -> {
            return new ConfigErrorException(
                "The catalog's database refused the login of user '" + config.catalog().username() + "'" + state
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
                "User '" + config.catalog().username() + "' lacks a privilege in the catalog's database ("
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

  private static boolean isReadOnly(FileSystemException fs) {
    return fs.getReason() != null && fs.getReason().toLowerCase(Locale.ROOT).contains("read-only");
  }

  private static ConfigErrorException unreachable(String url, Throwable failure) {
    return new ConfigErrorException(
        "Cannot connect to the catalog's database at " + url + ": the host is unknown or nothing accepts"
            + " connections there. Check the field 'catalog_type.jdbc_url' (host and port), and that the server"
            + " runs and accepts connections from this host.", failure);
  }

  private static String firstLine(SQLException sql) {
    String message = String.valueOf(sql.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
