package io.destkit.testkit.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * One real PostgreSQL server per test JVM, run from the binaries Maven downloads (no Docker, nothing
 * installed): started on first use, stopped by a JVM shutdown hook. As on a real server, every role
 * but the superuser logs in with its password (scram-sha-256); the superuser {@code postgres} is
 * trusted, for the tests' own setup and inspection.
 *
 * <p>Tests share the server, so each works in names of its own: a schema, a role, or a database.
 */
public final class PostgresServer {
  public static final String HOST = "localhost";
  public static final String SUPERUSER = "postgres";
  /** The database {@code initdb} creates. */
  public static final String DEFAULT_DATABASE = "postgres";

  private static PostgresServer instance;

  private final EmbeddedPostgres server;
  private final Set<String> roles = new HashSet<>();
  private final Set<String> databases = new HashSet<>();

  private PostgresServer(EmbeddedPostgres server) {
    this.server = server;
  }

  /** The server of this JVM, started on the first call. */
  public static synchronized PostgresServer get() {
    if (instance == null) {
      instance = new PostgresServer(start());
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "postgres-server-stop"));
    }
    return instance;
  }

  private static EmbeddedPostgres start() {
    try {
      return EmbeddedPostgres.builder()
          .setRegisterShutdownHook(false)
          // Test data need not survive a crash: skip the flushes that make a 2-core machine wait.
          .setServerConfig("fsync", "off")
          .setServerConfig("full_page_writes", "off")
          .setDataDirectoryCustomizer(PostgresServer::requirePasswords)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
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

  public int port() {
    return server.getPort();
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
