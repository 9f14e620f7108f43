package io.destkit.core.operation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.config.Specification;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.naming.TestRules;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.pipeline.MemoryCheckpointStore;
import io.destkit.core.pipeline.RecordingLoader;
import io.destkit.core.pipeline.UnixSocketSource;
import io.destkit.core.write.Row;
import io.destkit.core.write.RawId;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.WriteContext;
import io.destkit.core.write.StreamLoader;
import io.destkit.protocol.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner in process, with a destination written here that keeps what it is given in memory:
 * stdout must carry only protocol messages, failures end with a TRACE ERROR and exit code 1.
 */
class DestinationRunnerTest {
  private static final String PASSWORD = "hunter2-s3cret";
  private static final String CONFIG =
      "{\"host\":\"db\",\"port\":5432,\"credentials\":{\"method\":\"password\",\"password\":\"" + PASSWORD + "\"}}";
  private static final String CATALOG =
      "{\"streams\":[{\"stream\":{\"name\":\"users\",\"json_schema\":{\"type\":\"object\",\"properties\":"
          + "{\"id\":{\"type\":\"integer\"}}}},\"sync_mode\":\"full_refresh\",\"destination_sync_mode\":\"append\"}]}";

  @TempDir Path dir;

  /** The destination under test: config is the JSON itself; tables are kept in memory. */
  private static final class MemoryDestination implements Destination<JsonNode> {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<RecordingLoader> loaders = new ArrayList<>();
    /** Outlives a run, as the database's checkpoint table does. */
    MemoryCheckpointStore checkpoints;
    int checkpointStreams;
    RuntimeException setupFailure;
    RuntimeException startFailure;
    RecordingLoader.WriteFailure writeFailure = (n, batch) -> false;

    @Override
    public String name() {
      return "destination-memory";
    }

    @Override
    public Specification specification() {
      return Specification.fromResource(DestinationRunnerTest.class, "/config/spec.json");
    }

    @Override
    public List<String> supportedSyncModes() {
      return List.of("append", "overwrite");
    }

    @Override
    public JsonNode bindConfig(JsonNode json) {
      return json;
    }

    @Override
    public void check(JsonNode config) {
      String host = config.path("host").asText();
      String password = config.path("credentials").path("password").asText();
      if (host.equals("wrong-password")) {
        throw new ConfigErrorException("Password '" + password + "' was refused by " + host + ".");
      }
      if (host.equals("refused")) {
        throw new IllegalStateException("outer", new java.net.ConnectException("connection refused"));
      }
      if (host.equals("noisy")) {
        // As a library that logs the connection it was given would.
        System.err.println("WARN pool - connecting with password " + password);
        System.err.print("and again: " + password);
        System.err.flush();
      }
      if (host.equals("crash")) {
        throw new NullPointerException("a bug, with " + password);
      }
    }

    /** Knows a refused connection and a full disk, as a real destination knows its database's errors. */
    @Override
    public ErrorClassifier errorClassifier(JsonNode config) {
      return failure -> {
        for (Throwable t = failure; t != null; t = t.getCause()) {
          if (t instanceof java.net.ConnectException) {
            return java.util.Optional.of(new ConfigErrorException(
                "Nothing listens on " + config.path("host").asText() + ". Check the field 'host'.", failure));
          }
          if (String.valueOf(t.getMessage()).startsWith("disk full")) {
            return java.util.Optional.of(new ConfigErrorException(
                "The disk is full (ENOSPC). Free space on the destination's disk.", failure));
          }
        }
        return java.util.Optional.empty();
      };
    }

    @Override
    public NamingPolicy namingPolicy(JsonNode config) {
      return new NamingPolicy(TestRules.lowerCase255(), "main", null);
    }

    @Override
    public ValueLimits valueLimits() {
      return ValueLimits.NONE;
    }

    @Override
    public DestinationWriter createWriter(JsonNode config, TableCatalog tables, WriteContext context) {
      return new DestinationWriter() {
        @Override
        public void setup() {
          events.add("setup");
          if (setupFailure != null) {
            throw setupFailure;
          }
        }

        @Override
        public StreamLoader createStreamLoader(StreamTables streamTables) {
          events.add("loader " + streamTables.finalTable());
          RecordingLoader loader = new RecordingLoader(streamTables).failingWhen(writeFailure);
          loaders.add(loader);
          RuntimeException failure = startFailure;
          return failure == null ? loader : new StreamLoader() {
            @Override
            public long discardAfter(
                io.destkit.core.write.RawId mark, List<io.destkit.core.write.RawIdRange> kept) {
              return loader.discardAfter(mark, kept);
            }

            @Override
            public void start() {
              throw failure;
            }

            @Override
            public void write(io.destkit.core.write.RecordBatch batch) {
              loader.write(batch);
            }

            @Override
            public void close(boolean streamCompleted) {
              loader.close(streamCompleted);
            }
          };
        }

        @Override
        public io.destkit.core.write.CheckpointStore checkpoints() {
          if (checkpoints == null || checkpointStreams != tables.tables().size()) {
            checkpointStreams = tables.tables().size();
            checkpoints = new MemoryCheckpointStore(checkpointStreams);
          }
          return checkpoints;
        }

        @Override
        public void teardown() {
          events.add("teardown");
        }
      };
    }
  }

  /** What one run printed. */
  private record Run(int exitCode, List<ObjectNode> messages, String stdout, String stderr) {
    List<ObjectNode> ofType(String type) {
      return messages.stream().filter(m -> m.path("type").asText().equals(type)).toList();
    }

    ObjectNode last() {
      return messages.get(messages.size() - 1);
    }
  }

  private final MemoryDestination destination = new MemoryDestination();

  private Run run(String stdin, String... args) {
    return run(java.util.Map.of(), stdin, args);
  }

  private Run run(java.util.Map<String, String> environment, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new DestinationRunner<>(
                destination,
                new ByteArrayInputStream(stdin.getBytes(UTF_8)),
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8),
                new PipelineSettings(2, 1 << 20, 1000, Duration.ofSeconds(30), 16L << 20))
            .withEnvironment(environment)
            .run(args);
    String stdout = out.toString(UTF_8);
    List<ObjectNode> messages = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (!line.isEmpty()) {
        messages.add(MessageCodec.decode(line).json()); // only protocol messages on stdout
      }
    }
    return new Run(code, messages, stdout, err.toString(UTF_8));
  }

  private Path file(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String config() {
    return file("config.json", CONFIG).toString();
  }

  private String catalog() {
    return file("catalog.json", CATALOG).toString();
  }

  private static String user(int id) {
    return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":" + id + "},\"emitted_at\":1}}\n";
  }

  private static String state(String cursor) {
    return "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\"},"
        + "\"stream_state\":{\"cursor\":\"" + cursor + "\"}}}}\n";
  }

  private static final String COMPLETE =
      "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1,\"stream_status\":"
          + "{\"stream_descriptor\":{\"name\":\"users\"},\"status\":\"COMPLETE\"}}}\n";

  private static void assertError(Run run, String failureType) {
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.last().path("type").asText()).isEqualTo("TRACE");
    assertThat(run.last().path("trace").path("type").asText()).isEqualTo("ERROR");
    assertThat(run.last().path("trace").path("error").path("failure_type").asText()).isEqualTo(failureType);
  }

  private static String errorMessage(Run run) {
    return run.last().path("trace").path("error").path("message").asText();
  }

  // --- the socket data channel ----------------------------------------------------------------

  private static String socketUser(int id, String partition) {
    return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"partition_id\":\"" + partition
        + "\",\"data\":{\"id\":" + id + "},\"emitted_at\":1}}\n";
  }

  private static String socketState(long id, String partition, long count) {
    return "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":"
        + "{\"name\":\"users\"},\"stream_state\":{\"cursor\":\"" + id + "\"}},\"id\":" + id
        + ",\"partition_id\":\"" + partition + "\",\"sourceStats\":{\"recordCount\":" + count + "}}}\n";
  }

  @Test
  void inSocketModeTheRecordsComeFromTheSocketsNotStdinAndTheNamespaceMappingIsApplied() throws Exception {
    Path one = dir.resolve("airbyte_socket_1.sock");
    Path two = dir.resolve("airbyte_socket_2.sock");
    Path mapping = file("mapping.json",
        "{\"namespaceDefinitionType\":\"customformat\",\"namespaceFormat\":\"from_${SOURCE_NAMESPACE}_x\","
            + "\"streamPrefix\":\"p_\"}");
    java.util.Map<String, String> environment = java.util.Map.of(
        "DATA_CHANNEL_MEDIUM", "SOCKET", "DATA_CHANNEL_FORMAT", "JSONL",
        "DATA_CHANNEL_SOCKET_PATHS", one + "," + two, "NAMESPACE_MAPPING_CONFIG_PATH", mapping.toString());
    String first = socketUser(1, "a") + socketUser(2, "a") + socketState(1, "a", 2) + COMPLETE;
    String second = socketUser(3, "b") + socketState(2, "b", 1);
    Run run;
    try (UnixSocketSource source = new UnixSocketSource(List.of(one, two),
        List.of(first.getBytes(UTF_8), second.getBytes(UTF_8)))) {
      // Stdin holds what would fail the sync if it were read.
      run = run(environment, "not a message\n", "write", "--config", config(), "--catalog", catalog());
      source.awaitWritten();
    }

    assertThat(run.exitCode()).as(run.stdout()).isZero();
    assertThat(destination.events).contains("loader from__x.p_users");
    assertThat(destination.loaders.get(0).rows()).hasSize(3);
    List<ObjectNode> states = run.ofType("STATE");
    assertThat(states).extracting(state -> state.path("state").path("id").asLong()).containsExactly(1L, 2L);
    assertThat(states).extracting(state -> state.path("state").path("committedRecordsCount").asLong())
        .containsExactly(2L, 3L);
    assertThat(run.ofType("RECORD")).allSatisfy(record ->
        assertThat(record.path("record").path("isDummyStatsMessage").asBoolean()).isTrue());
  }

  @Test
  void anUnknownDataChannelFormatIsAConfigErrorNamingTheVariable() {
    Run run = run(java.util.Map.of("DATA_CHANNEL_MEDIUM", "SOCKET", "DATA_CHANNEL_FORMAT", "AVRO",
        "DATA_CHANNEL_SOCKET_PATHS", dir.resolve("s.sock").toString()), "", "write", "--config", config(),
        "--catalog", catalog());

    assertError(run, "config_error");
    assertThat(errorMessage(run)).contains("DATA_CHANNEL_FORMAT is 'AVRO'", "JSONL, PROTOBUF");
  }

  @Test
  void aSocketThatNeverAppearsFailsTheSyncNamingItsPath() {
    System.setProperty("destkit.socket.wait.seconds", "1");
    try {
      Path missing = dir.resolve("airbyte_socket_1.sock");
      Run run = run(java.util.Map.of("DATA_CHANNEL_MEDIUM", "SOCKET", "DATA_CHANNEL_SOCKET_PATHS", missing.toString()),
          "", "write", "--config", config(), "--catalog", catalog());

      assertError(run, "system_error");
      assertThat(errorMessage(run)).contains(missing.toString(), "did not appear within 1 s");
    } finally {
      System.clearProperty("destkit.socket.wait.seconds");
    }
  }

  // --- spec ----------------------------------------------------------------------------------

  @Test
  void specPrintsOneSpecMessageWithTheSchemaAndSyncModes() {
    Run run = run("", "--spec");

    assertThat(run.exitCode()).isZero();
    assertThat(run.messages()).hasSize(1);
    JsonNode spec = run.last().path("spec");
    assertThat(run.last().path("type").asText()).isEqualTo("SPEC");
    assertThat(spec.path("connectionSpecification")).isEqualTo(destination.specification().schema());
    assertThat(spec.path("supported_destination_sync_modes")).extracting(JsonNode::asText).containsExactly("append", "overwrite");
    assertThat(spec.path("supportsIncremental").asBoolean()).isTrue();
  }

  @Test
  void thePlatformsBareCommandWordIsAcceptedForSpec() {
    assertThat(run("", "spec").last().path("type").asText()).isEqualTo("SPEC");
  }

  // --- check ---------------------------------------------------------------------------------

  @Test
  void aSuccessfulCheckPrintsSucceeded() {
    Run run = run("", "--check", "--config", config());

    assertThat(run.exitCode()).isZero();
    assertThat(run.messages()).hasSize(1);
    assertThat(run.last().path("connectionStatus").path("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aCheckWithAnInvalidConfigFailsNamingTheField() {
    Path config = file("config.json", "{\"port\":\"x\",\"credentials\":{\"method\":\"password\",\"password\":\"a-long-password\"}}");

    Run run = run("", "--check", "--config", config.toString());

    assertThat(run.exitCode()).isZero();
    JsonNode status = run.last().path("connectionStatus");
    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).contains("'host'").contains("'port'");
  }

  @Test
  void aFailedCheckNeverShowsASecret() {
    Path config = file("config.json", CONFIG.replace("\"db\"", "\"wrong-password\""));

    Run run = run("", "--check", "--config", config.toString());

    JsonNode status = run.last().path("connectionStatus");
    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText()).isEqualTo("Password '****' was refused by wrong-password.");
    assertThat(run.stdout()).doesNotContain(PASSWORD);
    assertThat(run.stderr()).doesNotContain(PASSWORD);
  }

  @Test
  void aCheckRefusedAsTheClassifierKnowsIsFailedWithWhatToFix() {
    Path config = file("config.json", CONFIG.replace("\"db\"", "\"refused\""));

    Run run = run("", "--check", "--config", config.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.messages()).hasSize(1);
    assertThat(run.last().path("connectionStatus").path("status").asText()).isEqualTo("FAILED");
    assertThat(run.last().path("connectionStatus").path("message").asText())
        .isEqualTo("Nothing listens on refused. Check the field 'host'.");
  }

  @Test
  void aCheckThatCrashesOnABugSaysItIsAnInternalErrorWithItsMessageAndTraceRatherThanCouldNotConnect() {
    Path config = file("config.json", CONFIG.replace("\"db\"", "\"crash\""));

    Run run = run("", "--check", "--config", config.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.messages()).extracting(m -> m.path("type").asText()).containsExactly("TRACE", "CONNECTION_STATUS");
    JsonNode error = run.messages().get(0).path("trace").path("error");
    assertThat(error.path("failure_type").asText()).isEqualTo("system_error");
    assertThat(error.path("internal_message").asText()).contains("NullPointerException");
    JsonNode status = run.last().path("connectionStatus");
    assertThat(status.path("status").asText()).isEqualTo("FAILED");
    assertThat(status.path("message").asText())
        .startsWith("Internal error of destination-memory during the check")
        .contains("java.lang.NullPointerException: a bug, with ****")
        .doesNotContain("Could not connect");
    assertThat(run.stdout() + run.stderr()).doesNotContain(PASSWORD);
  }

  @Test
  void whatLibrariesPrintOnTheProcessStderrHasTheSecretsMasked() {
    Path config = file("config.json", CONFIG.replace("\"db\"", "\"noisy\""));
    PrintStream original = System.err;
    ByteArrayOutputStream processErr = new ByteArrayOutputStream();
    System.setErr(new PrintStream(processErr, true, UTF_8));
    try {
      new DestinationRunner<>(destination, new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
              System.err, PipelineSettings.defaults())
          .scrubbingProcessStderr()
          .run(new String[] {"--check", "--config", config.toString()});
      System.err.close();
    } finally {
      System.setErr(original);
    }

    assertThat(processErr.toString(UTF_8))
        .isEqualTo("WARN pool - connecting with password ****" + System.lineSeparator() + "and again: ****");
  }

  @Test
  void aCheckWithAMissingOrBrokenConfigFileFails() {
    Run missing = run("", "--check", "--config", dir.resolve("nope.json").toString());
    Run broken = run("", "--check", "--config", file("broken.json", "{\"host\":").toString());

    assertThat(missing.last().path("connectionStatus").path("message").asText()).contains("does not exist");
    assertThat(broken.last().path("connectionStatus").path("message").asText()).contains("is not valid JSON");
  }

  @Test
  void aConfigFileThatIsNotJsonIsReportedByLineAndColumnNeverByTheTextAtFault() {
    Path config = file("unquoted.json",
        "{\"host\": \"db\", \"port\": 5432,\n  \"credentials\": {\"method\": \"password\", \"password\": S3cretPassw0rd}}");

    Run check = run("", "--check", "--config", config.toString());
    Run write = run("", "--write", "--config", config.toString(), "--catalog", catalog());

    assertThat(check.last().path("connectionStatus").path("message").asText())
        .contains("is not valid JSON at line 2, column ");
    assertError(write, "config_error");
    assertThat(errorMessage(write)).contains("is not valid JSON at line 2, column ");
    for (Run run : List.of(check, write)) {
      assertThat(run.stdout()).doesNotContain("S3cretPassw0rd");
      assertThat(run.stderr()).doesNotContain("S3cretPassw0rd");
    }
  }

  // --- arguments -----------------------------------------------------------------------------

  @Test
  void noOperationOrTwoOperationsIsAConfigError() {
    assertError(run(""), "config_error");
    assertError(run("", "--spec", "--check"), "config_error");
  }

  @Test
  void anUnknownOptionIsAConfigError() {
    Run run = run("", "--frobnicate");

    assertError(run, "config_error");
    assertThat(errorMessage(run)).contains("--frobnicate");
  }

  @Test
  void writeWithoutCatalogIsAConfigError() {
    Run run = run("", "--write", "--config", config());

    assertError(run, "config_error");
    assertThat(errorMessage(run)).contains("--catalog");
  }

  @Test
  void writeWithAnInvalidCatalogIsAConfigErrorNamingTheProblem() {
    Path catalog = file("catalog.json", CATALOG.replace("\"append\"", "\"upsert\""));

    Run run = run("", "--write", "--config", config(), "--catalog", catalog.toString());

    assertError(run, "config_error");
    assertThat(errorMessage(run)).contains("catalog").contains("'upsert'");
  }

  @Test
  void writeWithAnInvalidConfigIsAConfigErrorWithoutTheSecret() {
    Path config = file("config.json", CONFIG.replace("\"port\":5432", "\"port\":\"" + PASSWORD + "\""));

    Run run = run("", "--write", "--config", config.toString(), "--catalog", catalog());

    assertError(run, "config_error");
    assertThat(errorMessage(run)).contains("'port'");
    assertThat(run.stdout()).doesNotContain(PASSWORD);
  }

  // --- write ---------------------------------------------------------------------------------

  @Test
  void aWriteEchoesEachStateOnceItsRecordsAreCommittedAndEndsWithASummary() {
    Run run = run(user(1) + user(2) + state("c1") + user(3) + state("c2") + COMPLETE,
        "--write", "--config", config(), "--catalog", catalog());

    assertThat(run.exitCode()).isZero();
    List<ObjectNode> states = run.ofType("STATE");
    assertThat(states).extracting(s -> s.path("state").path("stream").path("stream_state").path("cursor").asText())
        .containsExactly("c1", "c2");
    assertThat(states).extracting(s -> s.path("state").path("destinationStats").path("recordCount").asDouble())
        .containsExactly(2.0, 1.0);
    assertThat(run.last().path("type").asText()).isEqualTo("LOG");
    assertThat(run.last().path("log").path("message").asText()).contains("3 records").contains("2 states");
    assertThat(destination.events).containsExactly("setup", "loader main.users", "teardown");
    RecordingLoader loader = destination.loaders.get(0);
    assertThat(loader.started()).isTrue();
    assertThat(loader.rows()).hasSize(3);
    assertThat(loader.closedWith()).isTrue();
  }

  @Test
  void progressGoesToStderrWithAPerStreamSummaryAndNeverToStdout() {
    Run run = run(user(1) + user(2) + user(3) + COMPLETE,
        "--write", "--config", config(), "--catalog", catalog(), "--progress");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stderr()).contains("3 records").contains("records/s").contains("rows written").contains("nulled");
    assertThat(run.stderr()).containsPattern("users\\s+3\\s+0");
    for (String line : run.stdout().split("\n")) {
      assertThat(line).startsWith("{");
    }
  }

  @Test
  void withoutProgressStderrHasNoProgressLines() {
    Run run = run(user(1) + COMPLETE, "--write", "--config", config(), "--catalog", catalog());

    assertThat(run.exitCode()).isZero();
    assertThat(run.stderr()).doesNotContain("records/s");
  }

  @Test
  void aMalformedLineEndsTheWriteWithASystemErrorAfterEchoingTheStatesBeforeIt() {
    Run run = run(user(1) + state("c1") + "{\"type\":\"RECORD\",\n" + user(2) + state("c2") + COMPLETE,
        "--write", "--config", config(), "--catalog", catalog());

    assertError(run, "system_error");
    assertThat(errorMessage(run)).contains("Line 3");
    assertThat(run.ofType("STATE")).hasSize(1);
    assertThat(destination.loaders.get(0).closedWith()).isFalse();
    assertThat(destination.events).last().isEqualTo("teardown");
  }

  @Test
  void inputEndingWithoutStreamStatusCompleteIsASystemErrorNamingTheStream() {
    Run run = run(user(1) + state("c1"), "--write", "--config", config(), "--catalog", catalog());

    assertError(run, "system_error");
    assertThat(errorMessage(run)).contains("users").contains("COMPLETE");
    assertThat(run.ofType("STATE")).hasSize(1);
    assertThat(destination.loaders.get(0).closedWith()).isFalse();
  }

  @Test
  void aStreamWithAMalformedSchemaIsAConfigErrorNamingTheStreamAndThePath() {
    Path catalog = file("catalog.json", CATALOG.replace("{\"id\":{\"type\":\"integer\"}}", "{\"id\":{\"type\":[7]}}"));

    Run run = run(user(1) + COMPLETE, "--write", "--config", config(), "--catalog", catalog.toString());

    assertError(run, "config_error");
    assertThat(errorMessage(run)).contains("Stream 'users'").contains("'/properties/id/type/0'");
  }

  @Test
  void aFlushFailureTheClassifierKnowsIsAConfigErrorNamingTheStreamAndWhatToFix() {
    destination.writeFailure = (n, batch) -> true;

    Run run = run(user(1) + state("c1") + COMPLETE, "--write", "--config", config(), "--catalog", catalog());

    assertError(run, "config_error");
    assertThat(errorMessage(run))
        .isEqualTo("Writing 1 records of stream 'users' failed: The disk is full (ENOSPC). Free space on the destination's disk.");
    assertThat(run.ofType("STATE")).isEmpty();
  }

  @Test
  void aStartFailureTheClassifierKnowsIsAConfigErrorNamingTheStream() {
    destination.startFailure = new IllegalStateException("disk full while creating the table");

    Run run = run(user(1) + COMPLETE, "--write", "--config", config(), "--catalog", catalog());

    assertError(run, "config_error");
    assertThat(errorMessage(run))
        .isEqualTo("Starting stream 'users' failed: The disk is full (ENOSPC). Free space on the destination's disk.");
  }

  @Test
  void aStartFailureTheClassifierDoesNotKnowIsASystemErrorNamingTheStream() {
    destination.startFailure = new IllegalStateException("table is locked");

    Run run = run(user(1) + COMPLETE, "--write", "--config", config(), "--catalog", catalog());

    assertError(run, "system_error");
    assertThat(errorMessage(run)).isEqualTo("Starting stream 'users' failed: table is locked");
  }

  @Test
  void anUnexpectedFailureIsASystemErrorWithSecretsMaskedEverywhere() {
    destination.setupFailure = new IllegalStateException("login as admin/" + PASSWORD + " failed");

    Run run = run("", "--write", "--config", config(), "--catalog", catalog());

    assertError(run, "system_error");
    assertThat(errorMessage(run)).isEqualTo("Unexpected error: login as admin/**** failed");
    assertThat(run.stdout()).doesNotContain(PASSWORD);
    assertThat(run.stderr()).doesNotContain(PASSWORD);
    assertThat(destination.events).containsExactly("setup", "teardown");
  }

  @Test
  void theStatesOfARealThirdPartySourceAreEchoedWithTheirExtraFields() throws IOException {
    Path vectors = vectors().resolve("real-sources/faros-example");
    String input = Files.readString(vectors.resolve("full_read_output.jsonl"));
    String catalog = vectors.resolve("full_configured_catalog.json").toString();
    String complete = COMPLETE.replace("users", "builds");

    Run run = run(input + complete, "--write", "--config", config(), "--catalog", catalog);

    assertThat(run.exitCode()).isZero();
    List<JsonNode> expected = new ArrayList<>();
    for (String line : input.split("\n")) {
      ObjectNode message = MessageCodec.decode(line).json();
      if (message.path("type").asText().equals("STATE")) {
        expected.add(message);
      }
    }
    List<ObjectNode> states = run.ofType("STATE");
    assertThat(states).hasSameSizeAs(expected).isNotEmpty();
    for (int i = 0; i < states.size(); i++) {
      ObjectNode withoutStats = states.get(i).deepCopy();
      ((ObjectNode) withoutStats.get("state")).remove("destinationStats");
      assertThat(withoutStats).isEqualTo(expected.get(i));
    }
    double committed = states.stream().mapToDouble(s -> s.path("state").path("destinationStats").path("recordCount").asDouble()).sum();
    assertThat(committed).isEqualTo(5.0);
    assertThat(destination.loaders.get(0).values()).hasSize(5)
        .allSatisfy(values -> assertThat((String) values.get("_airbyte_data")).contains("\"source\":\"Jenkins\""));
  }

  private static Path vectors() {
    String configured = System.getProperty("destkit.vectors");
    if (configured != null) {
      return Paths.get(configured);
    }
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("vectors");
      if (Files.isDirectory(candidate.resolve("airbyte"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("Test vectors not found: set -Ddestkit.vectors=/path/to/shared/vectors");
  }

  @Test
  void theNextAttemptAfterAFailedOneRemovesTheRowsCommittedAfterItsLastEmittedState() {
    Run failed = run(user(1) + state("a") + user(2), "--write", "--config", config(), "--catalog", catalog());
    assertError(failed, "system_error");
    assertThat(failed.ofType("STATE")).hasSize(1);
    List<Row> firstRows = destination.loaders.get(0).rows();
    assertThat(firstRows).hasSize(2);

    Run retry = run(user(2) + COMPLETE, "--write", "--config", config(), "--catalog", catalog());

    assertThat(retry.exitCode()).isZero();
    RecordingLoader second = destination.loaders.get(1);
    assertThat(second.discardedAfter()).isEqualTo(rawId(firstRows.get(0)));
    // Every raw id of the retry is above what the failed attempt may have written.
    assertThat(rawId(second.rows().get(0))).isGreaterThan(rawId(firstRows.get(1)));
    assertThat(destination.checkpoints.events())
        .containsExactly("load", "begin", "advance [0]", "load", "begin", "finish");
    assertThat(destination.checkpoints.get(0).finished()).isTrue();
  }

  @Test
  void theRangesACheckpointKeepsAboveItsMarkAreKeptByTheRemovalAndTheRetryWritesAboveThem() throws Exception {
    Run failed = run(user(1) + state("a") + user(2), "--write", "--config", config(), "--catalog", catalog());
    assertError(failed, "system_error");
    RawId mark = destination.checkpoints.get(0).mark();
    // A block an hour ahead, as a socket's partition run would have taken, covered by an emitted STATE.
    io.destkit.core.write.RawIdRange block =
        io.destkit.core.write.RawIdRange.block(RawId.firstOf(System.currentTimeMillis() + 3_600_000L).high());
    destination.checkpoints.advanceCoverage(
        java.util.Map.of(0, new io.destkit.core.write.CheckpointStore.Coverage(mark, List.of(block))));

    Run retry = run(user(2) + COMPLETE, "--write", "--config", config(), "--catalog", catalog());

    assertThat(retry.exitCode()).isZero();
    RecordingLoader second = destination.loaders.get(1);
    assertThat(second.discardedAfter()).isEqualTo(mark);
    assertThat(second.discardedKeeping()).containsExactly(block);
    assertThat(rawId(second.rows().get(0))).as("above the kept range").isGreaterThan(block.last());
  }

  @Test
  void aSyncThatFinishedIsNotFollowedByARemoval() {
    Run first = run(user(1) + state("a") + user(2) + COMPLETE, "--write", "--config", config(), "--catalog", catalog());
    assertThat(first.exitCode()).isZero();
    RawId end = destination.checkpoints.get(0).mark();
    assertThat(end).isGreaterThanOrEqualTo(rawId(destination.loaders.get(0).rows().get(1)));

    Run next = run(user(3) + COMPLETE, "--write", "--config", config(), "--catalog", catalog());

    assertThat(next.exitCode()).isZero();
    assertThat(destination.loaders.get(1).discardedAfter()).isNull();
    assertThat(rawId(destination.loaders.get(1).rows().get(0))).isGreaterThan(end);
  }

  @Test
  void aStateIsNotEmittedWhenItsCheckpointCannotBeRecorded() {
    run("", "--write", "--config", config(), "--catalog", catalog());
    destination.checkpoints.failingAdvanceWith(new IllegalStateException("the checkpoint table is gone"));

    Run run = run(user(1) + state("a") + COMPLETE, "--write", "--config", config(), "--catalog", catalog());

    assertError(run, "system_error");
    assertThat(run.ofType("STATE")).isEmpty();
    assertThat(errorMessage(run)).contains("not emitted").contains("the checkpoint table is gone");
    // Nothing is finalised: the next attempt resumes from the last state that was emitted.
    assertThat(destination.loaders.get(1).closedWith()).isFalse();
  }

  private static RawId rawId(Row row) {
    return new RawId(row.rawIdHigh(), row.rawIdLow());
  }
}
