package io.destkit.testkit.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server per test JVM, run from the binaries Maven downloads (no Docker, nothing
 * installed): started on first use, stopped by a JVM shutdown hook. As on a real server, every role
 * but the superuser logs in with its password (scram-sha-256); the superuser {@code postgres} is
 * trusted, for the tests' own setup and inspection.
 *
 * <p>Tests share the server, so each works in names of its own: a schema, a role, or a database.
 * A test may also {@linkplain #restart restart} it (same port, same data), or {@linkplain
 * #terminateConnections terminate} a client's connections, to see that client survive.
 */
public final class PostgresServer {
  public static final String HOST = "localhost";
  public static final String SUPERUSER = "postgres";
  /** The database {@code initdb} creates. */
  public static final String DEFAULT_DATABASE = "postgres";

  private static PostgresServer instance;

  private final Path dataDirectory;
  private final int port;
  private volatile EmbeddedPostgres server;
  private final Set<String> roles = new HashSet<>();
  private final Set<String> databases = new HashSet<>();

  private PostgresServer(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.server = start(dataDirectory, port);
  }

  /** The server of this JVM, started on the first call. */
  public static synchronized PostgresServer get() {
    if (instance == null) {
      try {
        instance = new PostgresServer(Files.createTempDirectory("destkit-postgres-"), freePort());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the embedded PostgreSQL server's data directory", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stopAndDelete, "postgres-server-stop"));
    }
    return instance;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Starts the server on the data directory (initialised by the first start) and port. */
  private static EmbeddedPostgres start(Path dataDirectory, int port) {
    try {
      return EmbeddedPostgres.builder()
          .setRegisterShutdownHook(false)
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setPort(port)
          // Test data need not survive a crash: skip the flushes that make a 2-core machine wait.
          .setServerConfig("fsync", "off")
          .setServerConfig("full_page_writes", "off")
          .setDataDirectoryCustomizer(PostgresServer::requirePasswords)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
    }
  }

  /**
   * Stops the server (a fast shutdown: every session is terminated, with SQL state 57P01), waits
   * {@code downtime} while nothing listens on the port, then starts it again on the same port and
   * data directory: what a client sees when its database restarts.
   */
  public synchronized void restart(Duration downtime) {
    stop();
    try {
      Thread.sleep(downtime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server = start(dataDirectory, port);
    }
  }

  /**
   * Terminates ({@code pg_terminate_backend}) every session in {@code database} whose {@code
   * application_name} is {@code applicationName}; returns how many it terminated.
   */
  public int terminateConnections(String database, String applicationName) {
    // The sessions are listed first: in one query, the planner may terminate before it filters.
    try (Connection connection = superuserConnection(database);
        PreparedStatement select = connection.prepareStatement(
            "SELECT pid FROM pg_stat_activity WHERE datname = ? AND application_name = ? AND pid <> pg_backend_pid()");
        PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
      select.setString(1, database);
      select.setString(2, applicationName);
      List<Integer> pids = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          pids.add(rows.getInt(1));
        }
      }
      int terminated = 0;
      for (int pid : pids) {
        terminate.setInt(1, pid);
        try (ResultSet rows = terminate.executeQuery()) {
          rows.next();
          terminated += rows.getBoolean(1) ? 1 : 0;
        }
      }
      return terminated;
    } catch (SQLException e) {
      throw new IllegalStateException("Terminating sessions failed in database " + database + ": " + e.getMessage(), e);
    }
  }

  /**
   * How many sessions in {@code database} with this {@code application_name} are running a
   * statement that starts with {@code statementPrefix} (e.g. {@code COPY}), waiting on a lock or not.
   */
  public int activeStatements(String database, String applicationName, String statementPrefix) {
    return countOf(database,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = ? AND state = 'active'"
            + " AND starts_with(query, ?)", database, applicationName, statementPrefix);
  }

  private int countOf(String database, String query, String... parameters) {
    try (Connection connection = superuserConnection(database);
        PreparedStatement statement = connection.prepareStatement(query)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Query failed in database " + database + ": " + e.getMessage(), e);
    }
  }

  /** The superuser keeps trust (for the tests' own statements); every other role needs its password. */
  private static void requirePasswords(File dataDirectory) {
    try {
      Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), """
          local all all trust
          host all postgres 127.0.0.1/32 trust
          host all postgres ::1/128 trust
          host all all 127.0.0.1/32 scram-sha-256
          host all all ::1/128 scram-sha-256
          """, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stop the embedded PostgreSQL server", e);
    }
  }

  private synchronized void stopAndDelete() {
    stop();
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the embedded PostgreSQL server's data directory", e);
    }
  }

  public int port() {
    return port;
  }

  /** A connection to {@code database} as the superuser; the caller closes it. */
  public Connection superuserConnection(String database) throws SQLException {
    return server.getDatabase(SUPERUSER, database).getConnection();
  }

  /** Runs statements in {@code database} as the superuser, each committed on its own. */
  public void execute(String database, String... statements) {
    try (Connection connection = superuserConnection(database); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Statement failed in database " + database + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates a role that may log in with {@code password}, once per server: a later call with the
   * same name does nothing.
   */
  public synchronized void createRole(String role, String password) {
    if (roles.add(role)) {
      execute(DEFAULT_DATABASE,
          "CREATE ROLE " + quote(role) + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
    }
  }

  /**
   * Creates the database, owned by {@code owner}, once per server: a later call with the same name
   * does nothing. A database of its own lets a test write fixed schema names no other test sees.
   */
  public synchronized void createDatabase(String database, String owner) {
    if (databases.add(database)) {
      execute(DEFAULT_DATABASE, "CREATE DATABASE " + quote(database) + " OWNER " + quote(owner));
    }
  }

  /**
   * A lower-case identifier made from {@code prefix} and a hash of {@code key}: the same key gives
   * the same name, so a test can derive its names from its temporary directory.
   */
  public static String nameFor(String prefix, String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return prefix + "_" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
