package io.destkit.postgres;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.operation.ErrorClassifier;
import io.destkit.sql.SqlFailures;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Tells the failures the user fixes in the config or with a grant (unknown host, refused
 * connection, wrong password, missing database, missing privilege or ownership, SSL, a read-only
 * server) from the others, and says what to fix, with the server's SQL state. The runner applies it
 * to every failure of a check or a write: connecting, DDL, schema evolution, COPY, upsert,
 * overwrite and metadata queries alike. Messages name the fields; they never hold the password
 * (pgjdbc's never do).
 */
final class PostgresErrors implements ErrorClassifier {
  private static final Pattern DENIED_SCHEMA = Pattern.compile("permission denied for schema (.+)");
  private static final Pattern DENIED_DATABASE = Pattern.compile("permission denied for database .+");
  private static final Pattern DENIED_TABLE = Pattern.compile("permission denied for (?:table|relation|view) (.+)");
  private static final Pattern DENIED_SEQUENCE = Pattern.compile("permission denied for sequence (.+)");
  private static final Pattern NOT_OWNER = Pattern.compile("must be owner of (table|relation|schema|index|view|sequence|materialized view) (.+)");
  private static final java.util.List<Pattern> KNOWN_DENIALS =
      java.util.List.of(DENIED_SCHEMA, DENIED_DATABASE, DENIED_TABLE, DENIED_SEQUENCE, NOT_OWNER);

  private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "40001", "40P01", "53300");
  /** The states {@link #bySqlState} makes config errors, but for refused connections (transient mid-sync). */
  private static final Set<String> USER_FIXES = Set.of("28P01", "28000", "3D000", "42501", "25006");

  private final PostgresConfig config;

  PostgresErrors(PostgresConfig config) {
    this.config = config;
  }

  @Override
  public Optional<ConfigErrorException> configError(Throwable failure) {
    return Optional.ofNullable(classify(failure));
  }

  /**
   * Connection exceptions (SQL state class {@code 08}: lost, closed or refused connections), a
   * server shutting down, restarting or starting up ({@code 57P01}, {@code 57P02}, {@code 57P03}),
   * serialization failures ({@code 40001}), deadlocks ({@code 40P01}) and too many connections
   * ({@code 53300}), and what the driver or pool calls transient or recoverable (a pool that timed
   * out waiting for a connection). Never a failure the user fixes, though it also holds one of
   * these (a password refused while reconnecting).
   */
  @Override
  public boolean isTransient(Throwable failure) {
    boolean transientFailure = false;
    for (SQLException sql : SqlFailures.of(failure)) {
      String state = sql.getSQLState();
      if (state != null && USER_FIXES.contains(state)) {
        return false;
      }
      transientFailure |= sql instanceof SQLTransientException || sql instanceof SQLRecoverableException
          || (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state)));
    }
    return transientFailure;
  }

  private ConfigErrorException classify(Throwable failure) {
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
      if (t.getMessage() != null && t.getMessage().contains("could not be verified by hostnameverifier")) {
        // pgjdbc's verify-full: the certificate does not list the host the config names.
        return new ConfigErrorException(
            "The server's SSL certificate does not name the host '" + config.host() + "', which ssl_mode"
                + " verify-full requires. Check the field 'host': it must be a name the certificate lists (with an"
                + " SSH tunnel too: the certificate is checked against 'host', not the tunnel), or set the field"
                + " 'ssl_mode' to verify-ca, which checks the certificate's CA but not its host names.", failure);
      }
      if (t instanceof SSLException) {
        return new ConfigErrorException(
            "The SSL connection to " + server + " failed (" + t.getMessage() + "). Check the field 'ssl_mode':"
                + " the mode, and that the certificates match the server.", failure);
      }
    }
    for (SQLException sql : SqlFailures.of(failure)) {
      if (sql.getSQLState() != null) {
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
    String state = " (SQL state " + sql.getSQLState() + ")";
    return switch (sql.getSQLState()) {
      case "28P01" -> new ConfigErrorException(
          "Authentication of user " + user + " failed: wrong password, or no such user" + state + ". Check the"
              + " fields 'username' and 'password'.", failure);
      case "28000" -> new ConfigErrorException(
          "The server " + server + " refused user " + user + " (" + firstLine(sql) + ")" + state + ". Check the"
              + " field 'username', and 'ssl_mode' if the server requires SSL; or ask the server's administrator to"
              + " allow this host in pg_hba.conf.", failure);
      case "3D000" -> new ConfigErrorException(
          "Database '" + config.database() + "' does not exist on " + server + state + ". Check the field"
              + " 'database', or create the database.", failure);
      case "42501" -> lacksPrivilege(sql, state, failure);
      case "55P03" -> new ConfigErrorException(
          "Another session kept writing to a table of this sync for more than " + PostgresDialect.REMOVAL_LOCK_TIMEOUT
              + " (" + firstLine(sql) + ")" + state + ", so the rows an unfinished attempt committed after its last"
              + " STATE could not be removed. Stop the other writer (another connection or sync into the same"
              + " tables) and run the sync again.", failure);
      case "25006" -> new ConfigErrorException(
          "The server " + server + " accepts only reads (" + firstLine(sql) + ")" + state + ": it is a standby or"
              + " the database is read-only. Set 'host' to the primary server.", failure);
      case "08001", "08004" -> mentionsSsl(sql)
          ? new ConfigErrorException(
              "The server " + server + " refused the SSL settings (" + firstLine(sql) + ")" + state + ". Check the"
                  + " field 'ssl_mode'.", failure)
          : refused(server, failure);
      default -> null;
    };
  }

  /** A missing privilege or ownership, with the statement that gives it. */
  private ConfigErrorException lacksPrivilege(SQLException sql, String state, Throwable failure) {
    String denial = firstLine(sql);
    // A batch failure says "Batch entry 0 was aborted"; the server's own words follow it in the chain.
    for (SQLException other : SqlFailures.of(failure)) {
      String line = firstLine(other);
      if ("42501".equals(other.getSQLState()) && KNOWN_DENIALS.stream().anyMatch(p -> p.matcher(line).matches())) {
        denial = line;
        break;
      }
    }
    String grantee = quote(config.username());
    Matcher schema = DENIED_SCHEMA.matcher(denial);
    Matcher table = DENIED_TABLE.matcher(denial);
    Matcher sequence = DENIED_SEQUENCE.matcher(denial);
    Matcher owner = NOT_OWNER.matcher(denial);
    String fix;
    if (owner.matches()) {
      String kind = owner.group(1).equals("relation") ? "table" : owner.group(1);
      fix = "The connector creates, evolves, replaces and drops its tables, which only their owner may do. Run, as"
          + " a superuser or the current owner: ALTER " + kind.toUpperCase(Locale.ROOT) + " " + quote(owner.group(2))
          + " OWNER TO " + grantee + "; (qualify it with its schema) or drop it so the connector recreates it.";
    } else if (table.matches()) {
      fix = "Run, as the table's owner: GRANT SELECT, INSERT, UPDATE, DELETE ON " + quote(table.group(1)) + " TO "
          + grantee + "; (qualify it with its schema). Schema changes, refreshes and deduplication also need the user"
          + " to own the table: ALTER TABLE ... OWNER TO " + grantee + ".";
    } else if (sequence.matches()) {
      fix = "Run, as the sequence's owner: GRANT USAGE, SELECT ON SEQUENCE " + quote(sequence.group(1)) + " TO "
          + grantee + ";";
    } else if (schema.matches()) {
      fix = "Run, as the schema's owner: GRANT USAGE, CREATE ON SCHEMA " + quote(schema.group(1)) + " TO " + grantee
          + "; or set 'schema' and 'raw_data_schema' to schemas the user may write in.";
    } else if (DENIED_DATABASE.matcher(denial).matches()) {
      fix = "Run, as the database's owner: GRANT CREATE ON DATABASE " + quote(config.database()) + " TO " + grantee
          + "; or create the schemas yourself and grant USAGE, CREATE on each; or set 'schema' and"
          + " 'raw_data_schema' to schemas the user may write in.";
    } else {
      fix = "Grant it (to create schemas: GRANT CREATE ON DATABASE " + quote(config.database()) + " TO " + grantee
          + "; to write in a schema: GRANT USAGE, CREATE ON SCHEMA ...); or set 'schema' and 'raw_data_schema' to"
          + " schemas the user may write in.";
    }
    return new ConfigErrorException(
        "User '" + config.username() + "' lacks a privilege: " + denial + state + ". " + fix, failure);
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
    return message != null && message.toLowerCase(Locale.ROOT).contains("connect");
  }

  private static boolean mentionsSsl(SQLException sql) {
    String message = sql.getMessage();
    return message != null && message.contains("SSL");
  }

  /** The server's message without "ERROR: ", its detail lines, or the statement the kit attached. */
  private static String firstLine(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    int sql = line.indexOf(" [SQL: ");
    if (sql >= 0) {
      line = line.substring(0, sql);
    }
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
