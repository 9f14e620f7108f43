package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.JsonConfiguration;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged destination (the jar in the system property {@code destkit.jar}, which each
 * module's failsafe configuration sets) as a separate process, exactly as a platform would. Every
 * run checks that stdout holds only Airbyte protocol messages.
 */
public final class ConnectorProcess {
  /** With the kit's JSON limits (a copy of its factory: a mapper takes over the factory it is given). */
  public static final ObjectMapper JSON =
      new ObjectMapper(JsonConfiguration.FACTORY.copy()).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

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

  public static Path jar() {
    Path jar = Path.of(requiredProperty("destkit.jar"));
    assertThat(jar).as("the packaged destination (run `mvn package` first)").isRegularFile();
    return jar;
  }

  /** A file of the shared test vectors ({@link Vectors}). */
  public static Path vector(String relative) {
    return Vectors.path(relative);
  }

  /**
   * A fixture of the testkit ({@code io/destkit/testkit/e2e/NAME} on the classpath), copied into
   * {@code directory}: the process reads it as a file.
   */
  public static Path fixture(String name, Path directory) {
    try (InputStream in = ConnectorProcess.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture io/destkit/testkit/e2e/" + name).isNotNull();
      Path copy = Files.createDirectories(directory.resolve("fixtures")).resolve(name);
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
  public record Result(int exitCode, List<ObjectNode> messages, String stderr) {

    public List<ObjectNode> ofType(String type) {
      return messages.stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    /** The STATE messages, in the order they were printed. */
    public List<ObjectNode> states() {
      return ofType("STATE");
    }

    /** Each emitted state's {@code destinationStats.recordCount}, which must be a JSON number. */
    public List<Double> recordCounts() {
      List<Double> counts = new ArrayList<>();
      for (ObjectNode state : states()) {
        JsonNode count = state.path("state").path("destinationStats").path("recordCount");
        assertThat(count.isNumber()).as(() -> "recordCount is a number in " + MessageCodec.encode(state)).isTrue();
        counts.add(count.asDouble());
      }
      return counts;
    }

    public List<JsonNode> errors() {
      return ofType("TRACE").stream()
          .filter(m -> "ERROR".equals(m.path("trace").path("type").asText()))
          .map(m -> m.path("trace").path("error"))
          .toList();
    }

    /**
     * Asserts that the emitted states are the STATE messages of the input file, in input order,
     * each unchanged but for {@code state.destinationStats}, which holds only {@code recordCount}.
     */
    public Result assertStatesEchoedFrom(Path input) {
      return assertStatesEchoed(
          readJsonLines(input).stream().filter(m -> "STATE".equals(m.path("type").asText())).toList());
    }

    /** As {@link #assertStatesEchoedFrom}, for the given input STATE messages. */
    public Result assertStatesEchoed(List<ObjectNode> expected) {
      List<ObjectNode> withoutStats = new ArrayList<>();
      for (ObjectNode state : states()) {
        ObjectNode copy = state.deepCopy();
        JsonNode stats = ((ObjectNode) copy.path("state")).remove("destinationStats");
        assertThat(stats).as(() -> "destinationStats of " + MessageCodec.encode(state)).isNotNull();
        assertThat(stats.fieldNames()).toIterable().as(() -> "destinationStats of " + MessageCodec.encode(state)).containsExactly("recordCount");
        withoutStats.add(copy);
      }
      assertThat(withoutStats).as("emitted states without destinationStats").containsExactlyElementsOf(expected);
      return this;
    }

    /** Asserts exit code 0 and no error trace. */
    public Result assertSucceeded() {
      assertThat(errors()).as("error traces; stderr:\n" + stderr).isEmpty();
      assertThat(exitCode).as("exit code; stderr:\n" + stderr).isZero();
      return this;
    }

    /**
     * Asserts the run failed as the protocol requires: exit code 1, and the last message is a TRACE
     * ERROR of the given failure type. Returns that error's message.
     */
    public String assertFailedWith(String failureType) {
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
  public static Result run(Path workDir, String... args) {
    return run(workDir, null, args);
  }

  /** Runs the destination with the file {@code stdin} (may be null) as its input. */
  public static Result run(Path workDir, Path stdin, String... args) {
    return run(workDir, stdin, Map.of(), false, args);
  }

  /**
   * Runs the destination with extra environment variables (a socket source's, say) and, as the
   * platform does in socket mode, nothing on stdin: its standard input is a pipe held open and
   * empty until the process ends, so a destination that waits for the end of stdin hangs and the
   * run fails at the timeout.
   */
  public static Result runWithEnvironment(Path workDir, Map<String, String> environment, String... args) {
    return run(workDir, null, environment, true, args);
  }

  /** With {@code stdin} null, stdin is held open (empty) or closed at once. */
  private static Result run(
      Path workDir, Path stdin, Map<String, String> environment, boolean holdStdinOpen, String... args) {
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
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      if (stdin == null && !holdStdinOpen) {
        process.getOutputStream().close();
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail("the destination did not finish within " + TIMEOUT_SECONDS + " s: " + command);
      }
      if (stdin == null && holdStdinOpen) {
        process.getOutputStream().close();
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

  /**
   * Runs the destination with {@code stdin} as its input and its stdout a pipe whose reading end is
   * closed at once, as when the platform's reader has gone. Returns the exit code and stderr.
   */
  public static Result runWithStdoutClosed(Path workDir, Path stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Path stderr = workDir.resolve("stderr-" + System.nanoTime() + ".txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectInput(stdin.toFile())
        .redirectError(stderr.toFile());
    try {
      Process process = builder.start();
      process.getInputStream().close();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail("the destination did not finish within " + TIMEOUT_SECONDS + " s: " + command);
      }
      return new Result(process.exitValue(), List.of(), Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
      if ("RECORD".equals(type)) {
        // The socket data channel's progress records are the only records a destination prints.
        assertThat(node.path("record").path("isDummyStatsMessage").asBoolean())
            .as("a RECORD on " + where + " must be a progress record (isDummyStatsMessage)").isTrue();
        messages.add((ObjectNode) node);
        continue;
      }
      assertThat(BODY_OF_TYPE).as("a destination message type on " + where).containsKey(type);
      assertThat(node.path(BODY_OF_TYPE.get(type)).isObject()).as("the message body on " + where).isTrue();
      messages.add((ObjectNode) node);
    }
    return messages;
  }

  // ---------------------------------------------------------------------------------------------
  // Files the destination reads

  /**
   * Turns an {@code AirbyteCatalog} (streams without sync settings) into a configured catalog:
   * every stream incremental append, generation 1, minimum generation 0, sync id 7.
   */
  public static Path configuredAppendCatalog(Path airbyteCatalog, Path workDir) {
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
  public static Path withCompleteStatuses(Path messages, Path configuredCatalog, Path workDir) {
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

  public static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON objects of a JSONL file, skipping blank lines. */
  public static List<ObjectNode> readJsonLines(Path file) {
    return readLines(file).stream().filter(line -> !line.isBlank()).map(line -> (ObjectNode) readJson(line)).toList();
  }

  public static Path writeJson(Path file, JsonNode json) {
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path writeLines(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
