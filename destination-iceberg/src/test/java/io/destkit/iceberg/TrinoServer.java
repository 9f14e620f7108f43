package io.destkit.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real single-node Trino (coordinator and worker in one JVM), run from the server and Iceberg
 * plugin the build unpacks under {@code target/}, on the Java it needs (24 or later, apart from the
 * build's): its own port, heap, working directory and one Iceberg catalog named {@code iceberg}.
 * {@link #close} stops it; so does the JVM's exit, should a test run end without closing it.
 */
final class TrinoServer implements AutoCloseable {
  static final String CATALOG = "iceberg";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final String HEAP = "-Xmx1G";

  private final Process process;
  private final Thread stopOnExit;
  private final int port;
  private final Path log;
  private Duration startTime;

  private TrinoServer(Process process, int port, Path log, Thread stopOnExit) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.stopOnExit = stopOnExit;
  }

  /**
   * Starts Trino with the catalog {@code iceberg} made of these connector properties, and waits
   * until it accepts queries. Where Trino, its plugin and its Java are comes from the system
   * properties the build sets; a missing one fails saying what to provide.
   */
  static TrinoServer start(Map<String, String> icebergCatalog) {
    Path home = existing("destkit.trino.home", "the unpacked trino-server-core (run through Maven: mvn verify)");
    Path plugins = existing("destkit.trino.plugins", "the unpacked trino-iceberg plugin (run through Maven: mvn verify)");
    Path javaHome = Path.of(property("destkit.trino.java", "the home of a Java 24 or later"));
    Path java = javaHome.resolve("bin/java");
    if (!Files.isExecutable(java)) {
      throw new IllegalStateException("Trino needs Java 24 or later, and there is no " + java
          + ": install a JDK 25 there (Temurin 25) or name another one with -Dtrino.java.home=DIR");
    }
    Path work = Path.of(property("destkit.trino.work", "a working directory for Trino"));
    try {
      deleteTree(work);
      Path catalogs = Files.createDirectories(work.resolve("etc/catalog"));
      Path data = Files.createDirectories(work.resolve("data"));
      int port = freePort();
      Files.writeString(work.resolve("etc/config.properties"), properties(Map.of(
          "node.environment", "destkit_test",
          "node.id", "destkit-trino-it",
          "node.internal-address", "127.0.0.1",
          "coordinator", "true",
          "node-scheduler.include-coordinator", "true",
          "http-server.http.port", Integer.toString(port),
          "discovery.uri", "http://127.0.0.1:" + port,
          "plugin.dir", plugins.toString(),
          "catalog.config-dir", catalogs.toString())));
      Files.writeString(catalogs.resolve(CATALOG + ".properties"), properties(icebergCatalog));
      Path log = work.resolve("trino.log");
      long started = System.nanoTime();
      Process process = new ProcessBuilder(
          java.toString(), HEAP, "-XX:+UseG1GC", "-XX:+ExplicitGCInvokesConcurrent", "-XX:+ExitOnOutOfMemoryError",
          "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED",
          "-Dfile.encoding=UTF-8", "-Dconfig=" + work.resolve("etc/config.properties"),
          "-cp", home.resolve("lib") + "/*", "io.trino.server.TrinoServer")
          .directory(data.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      Thread stopOnExit = new Thread(process::destroyForcibly, "trino-server-stop");
      Runtime.getRuntime().addShutdownHook(stopOnExit);
      TrinoServer server = new TrinoServer(process, port, log, stopOnExit);
      try {
        server.awaitReady(started);
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
      server.startTime = Duration.ofNanos(System.nanoTime() - started);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Trino in " + work, e);
    }
  }

  /** Polls {@code /v1/info} until the server says it is no longer starting, then until a query runs. */
  private void awaitReady(long startedNanos) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest info = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = startedNanos + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Trino exited with code " + process.exitValue() + " while starting; its log:\n"
            + logTail());
      }
      try {
        HttpResponse<String> response = http.send(info, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().replace(" ", "").contains("\"starting\":false")
            && acceptsQueries()) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Trino to start", e);
      }
      sleep(Duration.ofMillis(250));
    }
    throw new IllegalStateException("Trino did not start within " + START_TIMEOUT + "; its log:\n" + logTail());
  }

  /**
   * Whether a query runs. A server that has stopped starting may not yet have announced itself as a worker
   * to its own discovery service, and until it has, every query fails with "No nodes available to run query".
   */
  private boolean acceptsQueries() {
    try (Connection connection = connect(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
      return result.next() && result.getLong(1) > 0;
    } catch (SQLException e) {
      return false;
    }
  }

  /** From the launch of its JVM until it accepted queries. */
  Duration startTime() {
    return startTime;
  }

  /** The resident memory of Trino's JVM now and at its peak, in MB, from {@code /proc} (Linux). */
  String memory() {
    try {
      List<String> status = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"));
      return status.stream().filter(line -> line.startsWith("VmRSS") || line.startsWith("VmHWM"))
          .map(line -> line.replaceAll("\\s+", " "))
          .collect(Collectors.joining(", "));
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** A JDBC connection to the server, through Trino's own driver; the caller closes it. */
  Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "destkit");
    return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + port + "/" + CATALOG, properties);
  }

  /** Each row of the query's result as its columns' text joined by single spaces ({@code null} for NULL). */
  List<String> rows(String sql) {
    return query(sql).stream().map(row -> row.values().stream().map(String::valueOf).collect(Collectors.joining(" ")))
        .toList();
  }

  /** Runs a statement that returns no rows (DDL, a table procedure such as {@code optimize}). */
  void execute(String sql) {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Trino failed on: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** Each row of the query's result as column label to the value's text ({@code getString}; null for NULL). */
  List<Map<String, String>> query(String sql) {
    try (Connection connection = connect(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      List<Map<String, String>> rows = new ArrayList<>();
      while (result.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          row.put(result.getMetaData().getColumnLabel(i), result.getString(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Trino failed on: " + sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException e) {
        // The JVM is already exiting: the hook stops the process.
      }
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static String property(String name, String what) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("System property " + name + " (" + what + ") is not set");
    }
    return value;
  }

  private static Path existing(String name, String what) {
    Path path = Path.of(property(name, what));
    if (!Files.isDirectory(path)) {
      throw new IllegalStateException("No " + what + " at " + path + " (system property " + name + ")");
    }
    return path;
  }

  private static String properties(Map<String, String> properties) {
    return properties.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Trino to start", e);
    }
  }
}
