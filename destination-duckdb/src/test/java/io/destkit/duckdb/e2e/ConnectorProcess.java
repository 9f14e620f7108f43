package io.destkit.duckdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged DuckDB destination as a separate process, exactly as a platform would, and reads
 * what it wrote. Every run checks that stdout holds only Airbyte protocol messages.
 */
final class ConnectorProcess {
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Message types a destination may print. */
  private static final Map<String, String> BODY_OF_TYPE =
      Map.of(
          "STATE", "state",
          "LOG", "log",
          "TRACE", "trace",
          "SPEC", "spec",
          "CONNECTION_STATUS", "connectionStatus",
          "CONTROL", "control");

  private static final long TIMEOUT_SECONDS = 180;

  private ConnectorProcess() {}

  // ---------------------------------------------------------------------------------------------
  // Locations

  static Path jar() {
    Path jar = Path.of(requiredProperty("destkit.jar"));
    assertThat(jar).as("the packaged destination (run `mvn package` first)").isRegularFile();
    return jar;
  }

  static Path vectors() {
    return Path.of(requiredProperty("destkit.vectors"));
  }

  static Path vector(String relative) {
    Path file = vectors().resolve(relative);
    assertThat(file).as("test vector").isRegularFile();
    return file;
  }

  /** A fixture under {@code src/test/resources/e2e/}. */
  static Path fixture(String name) {
    URL url = ConnectorProcess.class.getResource("/e2e/" + name);
    assertThat(url).as("fixture e2e/" + name).isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("system property " + name + " (set by the failsafe plugin)").isNotBlank();
    return value;
  }

  // ---------------------------------------------------------------------------------------------
  // Running the process

  /** What one run of the destination printed, and its exit code. */
  record Result(int exitCode, List<ObjectNode> messages, String stderr) {

    List<ObjectNode> ofType(String type) {
      return messages.stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    /** The STATE messages, in the order they were printed. */
    List<ObjectNode> states() {
      return ofType("STATE");
    }

    /** Each emitted state's {@code destinationStats.recordCount}, which must be a JSON number. */
    List<Double> recordCounts() {
      List<Double> counts = new ArrayList<>();
      for (ObjectNode state : states()) {
        JsonNode count = state.path("state").path("destinationStats").path("recordCount");
        assertThat(count.isNumber()).as("recordCount is a number in " + state).isTrue();
        counts.add(count.asDouble());
      }
      return counts;
    }

    List<JsonNode> errors() {
      return ofType("TRACE").stream()
          .filter(m -> "ERROR".equals(m.path("trace").path("type").asText()))
          .map(m -> m.path("trace").path("error"))
          .toList();
    }

    /**
     * Asserts that the emitted states are the STATE messages of the input file, in input order,
     * each unchanged but for {@code state.destinationStats}, which holds only {@code recordCount}.
     */
    Result assertStatesEchoedFrom(Path input) {
      return assertStatesEchoed(
          readJsonLines(input).stream().filter(m -> "STATE".equals(m.path("type").asText())).toList());
    }

    /** As {@link #assertStatesEchoedFrom}, for the given input STATE messages. */
    Result assertStatesEchoed(List<ObjectNode> expected) {
      List<ObjectNode> withoutStats = new ArrayList<>();
      for (ObjectNode state : states()) {
        ObjectNode copy = state.deepCopy();
        JsonNode stats = ((ObjectNode) copy.path("state")).remove("destinationStats");
        assertThat(stats).as("destinationStats of " + state).isNotNull();
        assertThat(stats.fieldNames()).toIterable().as("destinationStats of " + state).containsExactly("recordCount");
        withoutStats.add(copy);
      }
      assertThat(withoutStats).as("emitted states without destinationStats").containsExactlyElementsOf(expected);
      return this;
    }

    /** Asserts exit code 0 and no error trace. */
    Result assertSucceeded() {
      assertThat(errors()).as("error traces; stderr:\n" + stderr).isEmpty();
      assertThat(exitCode).as("exit code; stderr:\n" + stderr).isZero();
      return this;
    }

    /**
     * Asserts the run failed as the protocol requires: exit code 1, and the last message is a TRACE
     * ERROR of the given failure type. Returns that error's message.
     */
    String assertFailedWith(String failureType) {
      assertThat(exitCode).as("exit code; stdout: " + messages).isEqualTo(1);
      assertThat(messages).as("messages").isNotEmpty();
      ObjectNode last = messages.get(messages.size() - 1);
      assertThat(last.path("type").asText()).as("last message: " + last).isEqualTo("TRACE");
      JsonNode trace = last.path("trace");
      assertThat(trace.path("type").asText()).as("last message: " + last).isEqualTo("ERROR");
      assertThat(trace.path("error").path("failure_type").asText()).as("failure_type of " + last).isEqualTo(failureType);
      String message = trace.path("error").path("message").asText();
      assertThat(message).as("error message").isNotBlank();
      assertThat(errors()).as("exactly one error trace").hasSize(1);
      return message;
    }
  }

  /** Runs the destination with no input on stdin. */
  static Result run(Path workDir, String... args) {
    return run(workDir, null, args);
  }

  /** Runs the destination with the file {@code stdin} (may be null) as its input. */
  static Result run(Path workDir, Path stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Path stdout = workDir.resolve("stdout-" + System.nanoTime() + ".jsonl");
    Path stderr = workDir.resolve("stderr-" + System.nanoTime() + ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    }
    try {
      Process process = builder.start();
      if (stdin == null) {
        process.getOutputStream().close();
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail("the destination did not finish within " + TIMEOUT_SECONDS + " s: " + command);
      }
      String errText = Files.readString(stderr, StandardCharsets.UTF_8);
      return new Result(process.exitValue(), protocolMessages(stdout, errText), errText);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code --write} with a config for {@code db} and the given catalog and input. */
  static Result write(Path workDir, Path db, Path catalog, Path messages) {
    return write(workDir, db, "main", catalog, messages);
  }

  /** Runs {@code --write} with a config for {@code db} whose default schema is {@code schema}. */
  static Result write(Path workDir, Path db, String schema, Path catalog, Path messages) {
    return writeWithConfig(workDir, config(workDir, db, schema), catalog, messages);
  }

  static Result writeWithConfig(Path workDir, Path config, Path catalog, Path messages) {
    return run(workDir, messages, "--write", "--config", config.toString(), "--catalog", catalog.toString());
  }

  /** Parses stdout; fails unless every line is one JSON object that is an Airbyte message a destination may print. */
  private static List<ObjectNode> protocolMessages(Path stdout, String stderr) throws IOException {
    List<ObjectNode> messages = new ArrayList<>();
    List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String where = "stdout line " + (i + 1) + ": " + line + "\nstderr:\n" + stderr;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        throw new AssertionError("not valid JSON on " + where, e);
      }
      assertThat(node).as(where).isNotNull();
      assertThat(node.isObject()).as("a JSON object on " + where).isTrue();
      String type = node.path("type").asText(null);
      assertThat(BODY_OF_TYPE).as("a destination message type on " + where).containsKey(type);
      assertThat(node.path(BODY_OF_TYPE.get(type)).isObject()).as("the message body on " + where).isTrue();
      messages.add((ObjectNode) node);
    }
    return messages;
  }

  // ---------------------------------------------------------------------------------------------
  // Files the destination reads

  /** Writes a config for the database file {@code db} and returns its path. */
  static Path config(Path workDir, Path db, String schema) {
    ObjectNode config = JSON.createObjectNode();
    config.put("destination_path", db.toString());
    config.put("schema", schema);
    return writeJson(workDir.resolve("config-" + System.nanoTime() + ".json"), config);
  }

  /**
   * Turns an {@code AirbyteCatalog} (streams without sync settings) into a configured catalog:
   * every stream incremental append, generation 1, minimum generation 0, sync id 7.
   */
  static Path configuredAppendCatalog(Path airbyteCatalog, Path workDir) {
    ObjectNode configured = JSON.createObjectNode();
    ArrayNode streams = configured.putArray("streams");
    for (JsonNode stream : readJson(airbyteCatalog).path("streams")) {
      ObjectNode entry = streams.addObject();
      entry.set("stream", stream);
      entry.put("sync_mode", "incremental");
      entry.put("destination_sync_mode", "append");
      entry.put("generation_id", 1);
      entry.put("minimum_generation_id", 0);
      entry.put("sync_id", 7);
    }
    return writeJson(workDir.resolve("configured-" + airbyteCatalog.getFileName()), configured);
  }

  /**
   * Copies the messages and appends {@code STREAM_STATUS COMPLETE} for every stream of the
   * configured catalog that got none, as the platform does when the source succeeds.
   */
  static Path withCompleteStatuses(Path messages, Path configuredCatalog, Path workDir) {
    List<String> lines = readLines(messages);
    Set<String> completed = new LinkedHashSet<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode status = readJson(line).path("trace").path("stream_status");
      if ("COMPLETE".equals(status.path("status").asText())) {
        completed.add(descriptorKey(status.path("stream_descriptor")));
      }
    }
    List<String> out = new ArrayList<>(lines);
    for (JsonNode configured : readJson(configuredCatalog).path("streams")) {
      JsonNode stream = configured.path("stream");
      ObjectNode descriptor = JSON.createObjectNode().put("name", stream.path("name").asText());
      if (stream.path("namespace").isTextual()) {
        descriptor.put("namespace", stream.path("namespace").asText());
      }
      if (!completed.contains(descriptorKey(descriptor))) {
        ObjectNode message = JSON.createObjectNode().put("type", "TRACE");
        ObjectNode trace = message.putObject("trace").put("type", "STREAM_STATUS").put("emitted_at", 1);
        trace.putObject("stream_status").put("status", "COMPLETE").set("stream_descriptor", descriptor);
        out.add(message.toString());
      }
    }
    Path copy = workDir.resolve("completed-" + messages.getFileName());
    writeLines(copy, out);
    return copy;
  }

  private static String descriptorKey(JsonNode descriptor) {
    return descriptor.path("namespace").asText("") + "\u0000" + descriptor.path("name").asText();
  }

  // ---------------------------------------------------------------------------------------------
  // JSON and text files

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON objects of a JSONL file, skipping blank lines. */
  static List<ObjectNode> readJsonLines(Path file) {
    return readLines(file).stream().filter(line -> !line.isBlank()).map(line -> (ObjectNode) readJson(line)).toList();
  }

  static Path writeJson(Path file, JsonNode json) {
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeLines(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the database (only after the process has exited: DuckDB locks its file)

  /**
   * Runs a query on the database file, read-only, and returns its rows as column-to-value maps in
   * result order. Values are normalised for comparison: {@code TIMESTAMP WITH TIME ZONE} gives an
   * {@link java.time.Instant}, {@code TIMESTAMP} a {@link LocalDateTime}, {@code JSON} a Jackson
   * tree, {@code DECIMAL} a {@link BigDecimal} without trailing zeros.
   */
  static List<Map<String, Object>> query(Path db, String sql) {
    Properties properties = new Properties();
    properties.setProperty("duckdb.read_only", "true");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath(), properties);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rows.getMetaData();
      List<Map<String, Object>> result = new ArrayList<>();
      while (rows.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), value(rows, i, meta.getColumnTypeName(i)));
        }
        result.add(row);
      }
      return result;
    } catch (SQLException e) {
      throw new AssertionError("query failed on " + db + ": " + sql, e);
    }
  }

  /** Runs statements on the database file (before or after a run, never during one). */
  static void execute(Path db, String... statements) {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new AssertionError("statement failed on " + db, e);
    }
  }

  /** The single value of a one-row, one-column query. */
  static Object queryValue(Path db, String sql) {
    List<Map<String, Object>> rows = query(db, sql);
    assertThat(rows).as(sql).hasSize(1);
    assertThat(rows.get(0)).as(sql).hasSize(1);
    return rows.get(0).values().iterator().next();
  }

  static long count(Path db, String table) {
    return ((Number) queryValue(db, "SELECT count(*) AS n FROM " + table)).longValue();
  }

  /** The table's column names and DuckDB types, in table order. */
  static Map<String, String> columns(Path db, String schema, String table) {
    Map<String, String> columns = new LinkedHashMap<>();
    for (Map<String, Object> row :
        query(
            db,
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '" + schema
                + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
      columns.put((String) row.get("column_name"), (String) row.get("data_type"));
    }
    return columns;
  }

  /** The tables of the database as {@code schema.table}, sorted. */
  static List<String> tables(Path db) {
    return query(db, "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables ORDER BY t").stream()
        .map(row -> (String) row.get("t"))
        .toList();
  }

  private static Object value(ResultSet rows, int column, String type) throws SQLException {
    if (rows.getObject(column) == null) {
      return null;
    }
    if (type.equals("TIMESTAMP WITH TIME ZONE")) {
      return rows.getObject(column, OffsetDateTime.class).toInstant();
    }
    if (type.equals("TIMESTAMP")) {
      return rows.getObject(column, LocalDateTime.class);
    }
    if (type.equals("JSON")) {
      return readJson(rows.getString(column));
    }
    Object value = rows.getObject(column);
    if (value instanceof BigDecimal number) {
      return decimal(number);
    }
    return value;
  }

  /** A row as column-to-value pairs, in the form {@link #query} returns; values may be null. */
  static Map<String, Object> row(Object... pairs) {
    assertThat(pairs.length % 2).as("column-value pairs").isZero();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      row.put((String) pairs[i], pairs[i + 1]);
    }
    return row;
  }

  /** A decimal in the form {@link #query} returns: no trailing zeros, scale at least 0. */
  static BigDecimal decimal(Object number) {
    BigDecimal value = new BigDecimal(number.toString()).stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0) : value;
  }
}
