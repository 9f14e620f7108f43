package io.destkit.postgres;

import io.destkit.core.ConfigErrorException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Tells the failures the user fixes in the config or with a grant (unknown host, refused
 * connection, wrong password, missing database, missing privilege, SSL) from the others, and says
 * what to fix. Messages name the fields; they never hold the password (pgjdbc's never do).
 */
final class PostgresErrors {
  private static final Pattern DENIED_SCHEMA = Pattern.compile("permission denied for schema (.+)");
  private static final Pattern DENIED_DATABASE = Pattern.compile("permission denied for database .+");

  private final PostgresConfig config;

  PostgresErrors(PostgresConfig config) {
    this.config = config;
  }

  /** Throws the config error {@code failure} means, if it is one; returns otherwise. */
  void throwIfConfigError(Throwable failure) {
    ConfigErrorException configError = configError(failure);
    if (configError != null) {
      throw configError;
    }
  }

  /** The config error a failure means, or null. */
  ConfigErrorException configError(Throwable failure) {
    String server = config.host() + ":" + config.port();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConfigErrorException known) {
        return known;
      }
      if (t instanceof UnknownHostException) {
        return new ConfigErrorException(
            "Unknown host '" + config.host() + "': no such name could be resolved. Check the field 'host' (the"
                + " PostgreSQL server's DNS name or IP address).", failure);
      }
      if (t instanceof SSLException) {
        return new ConfigErrorException(
            "The SSL connection to " + server + " failed (" + t.getMessage() + "). Check the field 'ssl_mode':"
                + " the mode, and that the certificates match the server.", failure);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        ConfigErrorException byState = bySqlState(sql, server, failure);
        if (byState != null) {
          return byState;
        }
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return refused(server, failure);
      }
      if (t instanceof SocketTimeoutException && isConnectTimeout(t)) {
        return new ConfigErrorException(
            "No answer from " + server + " in time. Check the fields 'host' and 'port', and that no firewall"
                + " drops the connection.", failure);
      }
    }
    return null;
  }

  private ConfigErrorException bySqlState(SQLException sql, String server, Throwable failure) {
    String user = "'" + config.username() + "'";
    return switch (sql.getSQLState()) {
      case "28P01" -> new ConfigErrorException(
          "Authentication of user " + user + " failed: wrong password, or no such user. Check the fields"
              + " 'username' and 'password'.", failure);
      case "28000" -> new ConfigErrorException(
          "The server " + server + " refused user " + user + " (" + firstLine(sql) + "). Check the field"
              + " 'username', and 'ssl_mode' if the server requires SSL; or ask the server's administrator to"
              + " allow this host in pg_hba.conf.", failure);
      case "3D000" -> new ConfigErrorException(
          "Database '" + config.database() + "' does not exist on " + server + ". Check the field 'database',"
              + " or create the database.", failure);
      case "42501" -> lacksPrivilege(sql, failure);
      case "08001", "08004" -> mentionsSsl(sql)
          ? new ConfigErrorException(
              "The server " + server + " refused the SSL settings (" + firstLine(sql) + "). Check the field"
                  + " 'ssl_mode'.", failure)
          : refused(server, failure);
      default -> null;
    };
  }

  /** A missing privilege, with the GRANT that gives it when the denial names the schema or the database. */
  private ConfigErrorException lacksPrivilege(SQLException sql, Throwable failure) {
    String denial = firstLine(sql);
    String grantee = quote(config.username());
    Matcher schema = DENIED_SCHEMA.matcher(denial);
    String grant;
    if (schema.matches()) {
      grant = "Run, as the schema's owner: GRANT USAGE, CREATE ON SCHEMA " + quote(schema.group(1)) + " TO " + grantee + ";";
    } else if (DENIED_DATABASE.matcher(denial).matches()) {
      grant = "Run, as the database's owner: GRANT CREATE ON DATABASE " + quote(config.database()) + " TO " + grantee
          + "; or create the schemas yourself and grant USAGE, CREATE on each.";
    } else {
      grant = "Grant it (to create schemas: GRANT CREATE ON DATABASE " + quote(config.database()) + " TO " + grantee
          + "; to write in a schema: GRANT USAGE, CREATE ON SCHEMA ...).";
    }
    return new ConfigErrorException(
        "User '" + config.username() + "' lacks a privilege: " + denial + ". " + grant + " Or set 'schema' and"
            + " 'raw_data_schema' to schemas the user may write in.", failure);
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private ConfigErrorException refused(String server, Throwable failure) {
    return new ConfigErrorException(
        "Cannot connect to " + server + " (" + rootMessage(failure) + "). Check the fields 'host' and 'port', that"
            + " the server is running and accepts TCP/IP connections, and that no firewall blocks the port.",
        failure);
  }

  /** A timeout while connecting, not one while reading the answer to a statement. */
  private static boolean isConnectTimeout(Throwable timeout) {
    String message = timeout.getMessage();
    return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("connect");
  }

  private static boolean mentionsSsl(SQLException sql) {
    String message = sql.getMessage();
    return message != null && message.contains("SSL");
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.startsWith("ERROR: ") ? line.substring(7) : line.startsWith("FATAL: ") ? line.substring(7) : line;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return firstLine(root);
  }
}
