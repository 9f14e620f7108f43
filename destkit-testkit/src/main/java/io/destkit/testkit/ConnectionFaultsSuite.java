package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RetrySettings;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.ProtocolMessage;
import io.destkit.protocol.StreamDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Syncs whose database server fails under them, and must survive it: every connection of the
 * connector terminated during COPYs and during a dedupe's upsert, the server restarted, each mid-sync,
 * leave the table as the same input synced undisturbed; a failure the user must fix (a revoked
 * privilege) fails at once; a load a lock holds up is cancelled after the flush timeout, and
 * succeeds when the lock goes before the retries run out.
 *
 * <p>The faults come from the destination ({@link #serverFaults()}); a destination without a server
 * (an in-process database) has none, and these tests are skipped for it. {@link RetrySuite} holds
 * what every SQL destination guarantees.
 *
 * @param <C> the destination's typed config
 */
public abstract class ConnectionFaultsSuite<C> extends BasicFunctionalitySuite<C> {
  private static final JsonNode USERS_SCHEMA = json("{\"type\":\"object\",\"properties\":{"
      + "\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},\"updated_at\":{\"type\":\"integer\"}}}");
  /** Retries quick enough for a test, and enough of them to ride out a restart. */
  private static final RetrySettings QUICK_RETRIES = new RetrySettings(8, Duration.ofMillis(200), Duration.ofSeconds(2));
  private static final int DEDUPE_KEYS = 997;
  private static final long MAXIMUM_RECORDS = 2_000_000;

  private final ExecutorService faultThread = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "destkit-test-faults");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * The faults a test can inject into the destination's server; empty (the default) for a database
   * without one, whose tests of server faults are then skipped.
   */
  protected Optional<ServerFaults<C>> serverFaults() {
    return Optional.empty();
  }

  private ServerFaults<C> faults() {
    assumeTrue(serverFaults().isPresent(), "the destination has no server whose connections can fail");
    return serverFaults().get();
  }

  @AfterEach
  void stopInjectingFaults() {
    faultThread.shutdownNow();
  }

  @Test
  void terminatingEveryConnectionTwiceMidSyncLeavesAppendedRowsAsAnUndisturbedSync() throws Exception {
    ServerFaults<C> faults = faults();
    C config = destination().bindConfig(configJson());
    AtomicInteger terminated = new AtomicInteger();
    Disturbed sync = disturbedSync(
        stream(uniqueName("destkit_faults"), "users", USERS_SCHEMA), 0, 2,
        () -> faults.runningStatements(config, "COPY") > 0,
        () -> terminated.addAndGet(faults.terminateConnections(config)));

    assertThat(terminated.get()).as("connections terminated while a COPY ran").isGreaterThanOrEqualTo(2);
    assertThat(sync.rows()).hasSize((int) sync.records()).isEqualTo(sync.undisturbedRows());
  }

  @Test
  void terminatingEveryConnectionMidSyncAndDuringItsUpsertLeavesDedupedRowsAsAnUndisturbedSync() throws Exception {
    ServerFaults<C> faults = faults();
    C config = destination().bindConfig(configJson());
    ObjectNode stream = dedupe(stream(uniqueName("destkit_faults"), "users", USERS_SCHEMA), "updated_at", "id");
    StreamTables tables = tables(catalog(stream), 0);
    String upsert;
    try (TestDatabase database = database()) {
      // The final table is empty before this first sync: its upsert is one INSERT of the newest versions.
      upsert = "INSERT INTO " + database.operations().dialect().qualified(tables.finalTable());
    }
    AtomicInteger terminated = new AtomicInteger();
    AtomicInteger upsertsTerminated = new AtomicInteger();
    // Twice during COPYs; then, with the final table locked, once during the upsert the lock holds up.
    Disturbed sync = disturbedSync(stream, DEDUPE_KEYS, 2,
        () -> faults.runningStatements(config, "COPY") > 0,
        () -> terminated.addAndGet(faults.terminateConnections(config)),
        () -> {
          AutoCloseable lock = faults.lockTable(config, tables.finalTable());
          return () -> {
            try {
              await(() -> faults.runningStatements(config, upsert) > 0);
              upsertsTerminated.addAndGet(faults.terminateConnections(config));
            } finally {
              close(lock);
            }
          };
        });

    assertThat(terminated.get()).as("connections terminated while a COPY ran").isGreaterThanOrEqualTo(2);
    assertThat(upsertsTerminated.get()).as("connections terminated while the upsert ran").isPositive();
    assertThat(sync.rows()).hasSize(DEDUPE_KEYS).isEqualTo(sync.undisturbedRows());
  }

  @Test
  void aServerRestartMidSyncLeavesTheRowsAsAnUndisturbedSync() throws Exception {
    ServerFaults<C> faults = faults();
    C config = destination().bindConfig(configJson());
    Disturbed sync = disturbedSync(
        stream(uniqueName("destkit_faults"), "users", USERS_SCHEMA), 0, 1,
        () -> faults.runningStatements(config, "COPY") > 0,
        () -> faults.restartServer(Duration.ofSeconds(2)));

    assertThat(sync.rows()).hasSize((int) sync.records()).isEqualTo(sync.undisturbedRows());
  }

  @Test
  void aFailureTheUserMustFixFailsTheSyncAtOnceWithoutRetrying() throws Exception {
    ServerFaults<C> faults = faults();
    C config = destination().bindConfig(configJson());
    ObjectNode stream = syncedStream();
    StreamDescriptor descriptor = descriptor(stream);
    faults.denyWrites(config, tables(catalog(stream), 0).finalTable());
    // A retry would wait 20 s before its second attempt.
    PipelineSettings slowRetries =
        PipelineSettings.defaults().withRetries(new RetrySettings(5, Duration.ofSeconds(20), Duration.ofSeconds(20)));

    long started = System.nanoTime();
    ConnectorRun run = run(catalog(stream), GeneratedInput.text(descriptor, 0, GeneratedInput.STATE_EVERY), slowRetries);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    JsonNode error = error(run);
    assertThat(error.path("failure_type").asText()).as("%s", error).isEqualTo("config_error");
    assertThat(error.path("message").asText()).contains(descriptor.toString()).contains("SQL state 42501");
    assertThat(elapsed).as("the time to fail").isLessThan(Duration.ofSeconds(10));
    assertThat(finalRows(catalog(stream), 0)).hasSize(GeneratedInput.STATE_EVERY);
  }

  /** A stream synced once (its table holds its first chunk of records), for a second sync to meet a fault. */
  private ObjectNode syncedStream() {
    ObjectNode stream = stream(uniqueName("destkit_faults"), "users", USERS_SCHEMA);
    sync(catalog(stream), GeneratedInput.text(descriptor(stream), 0, GeneratedInput.STATE_EVERY));
    return stream;
  }

  /** A flush timeout of 2 s, and this many attempts, quick ones. */
  private static PipelineSettings flushTimeoutOfTwoSeconds(int attempts) {
    return PipelineSettings.defaults().withFlushTimeout(Duration.ofSeconds(2))
        .withRetries(new RetrySettings(attempts, Duration.ofMillis(200), Duration.ofMillis(400)));
  }

  @Test
  void aLoadThatALockHoldsUpIsCancelledAndFailsTheSyncNamingTheStreamAndTheTimeout() throws Exception {
    ServerFaults<C> faults = faults();
    C config = destination().bindConfig(configJson());
    ObjectNode stream = syncedStream();
    StreamDescriptor descriptor = descriptor(stream);
    PipelineSettings settings = flushTimeoutOfTwoSeconds(3);

    long started = System.nanoTime();
    ConnectorRun run;
    try (AutoCloseable lock = faults.lockTable(config, tables(catalog(stream), 0).finalTable())) {
      run = run(catalog(stream), GeneratedInput.text(descriptor, 0, GeneratedInput.STATE_EVERY), settings);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    JsonNode error = error(run);
    assertThat(error.path("failure_type").asText()).as("%s", error).isEqualTo("system_error");
    assertThat(error.path("message").asText())
        .contains(descriptor.toString())
        .contains("made no progress for 2 s (destkit.flush.timeout.seconds)")
        .contains("gave up after 3 attempts");
    // Three attempts of 2 s each, and the waits between them.
    assertThat(elapsed).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(30));
    assertThat(finalRows(catalog(stream), 0)).hasSize(GeneratedInput.STATE_EVERY);
  }

  @Test
  void aLoadThatALockHoldsUpIsRetriedAndSucceedsOnceTheLockIsReleased() throws Exception {
    ServerFaults<C> faults = faults();
    C config = destination().bindConfig(configJson());
    ObjectNode stream = syncedStream();
    StreamDescriptor descriptor = descriptor(stream);
    PipelineSettings settings = flushTimeoutOfTwoSeconds(6);
    AutoCloseable lock = faults.lockTable(config, tables(catalog(stream), 0).finalTable());
    // Released once the load has been held up past its timeout, before the attempts run out.
    Future<?> release = faultThread.submit(() -> {
      await(() -> faults.runningStatements(config, "COPY") > 0);
      Thread.sleep(3000);
      close(lock);
      return null;
    });

    long started = System.nanoTime();
    ConnectorRun run = run(catalog(stream), GeneratedInput.text(descriptor, 0, 2L * GeneratedInput.STATE_EVERY), settings);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    release.get(10, TimeUnit.SECONDS);

    assertThat(run.exitCode()).as("exit code; stdout %s", run.messages()).isZero();
    assertThat(elapsed).as("held up by the lock").isGreaterThan(Duration.ofSeconds(3));
    // The first sync's 500 records, then the second's 1000 (its first 500 are the same users again), each once.
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2 * GeneratedInput.STATE_EVERY; i++) {
      expected.add("user " + i);
      if (i < GeneratedInput.STATE_EVERY) {
        expected.add("user " + i);
      }
    }
    assertThat(finalRows(catalog(stream), 0)).extracting(row -> row.get("name")).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** A sync disturbed by faults, its rows, and those of the same input synced undisturbed. */
  private record Disturbed(long records, List<Map<String, String>> rows, List<Map<String, String>> undisturbedRows) {
    Disturbed {
      rows = sorted(rows);
      undisturbedRows = sorted(undisturbedRows);
    }

    private static List<Map<String, String>> sorted(List<Map<String, String>> rows) {
      return rows.stream().sorted(java.util.Comparator.comparing(Object::toString)).toList();
    }
  }

  /** What to do once the faults are injected, before the input may end: returns what to do then. */
  @FunctionalInterface
  private interface Finale {
    Runnable prepare() throws Exception;
  }

  private Disturbed disturbedSync(
      ObjectNode stream, int keys, int times, BooleanSupplier ready, Runnable fault) throws Exception {
    return disturbedSync(stream, keys, times, ready, fault, () -> () -> {});
  }

  /**
   * Syncs the generated input into the stream's table while {@code fault} is injected {@code times}
   * times, each once {@code ready} holds; the input goes on until then, and after {@code finale}
   * is prepared, ends (what the finale returned then runs beside the stream's finalisation). Then
   * syncs the same input into a stream of another namespace, undisturbed.
   */
  private Disturbed disturbedSync(
      ObjectNode stream, int keys, int times, BooleanSupplier ready, Runnable fault, Finale finale) throws Exception {
    StreamDescriptor descriptor = descriptor(stream);
    AtomicInteger injected = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean inputMayEnd = new java.util.concurrent.atomic.AtomicBoolean();
    Future<?> faulting = faultThread.submit(() -> {
      for (int i = 0; i < times; i++) {
        await(ready);
        fault.run();
        injected.incrementAndGet();
        Thread.sleep(300);
      }
      Runnable atTheEnd = finale.prepare();
      inputMayEnd.set(true);
      atTheEnd.run();
      return null;
    });
    GeneratedInput input = new GeneratedInput(
        descriptor, keys, () -> !inputMayEnd.get(), 10L * GeneratedInput.STATE_EVERY, MAXIMUM_RECORDS);
    PipelineSettings settings = PipelineSettings.defaults().withBatchRecords(2000).withRetries(QUICK_RETRIES);

    ConnectorRun run = ConnectorRun.write(destination(), configJson(), catalog(stream), input, tempDir, settings);
    faulting.get(60, TimeUnit.SECONDS);

    assertThat(run.exitCode()).as("exit code; stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
    assertThat(injected.get()).as("faults injected").isEqualTo(times);
    List<Map<String, String>> rows = finalRows(catalog(stream), 0);

    ObjectNode undisturbed = stream.deepCopy();
    ((ObjectNode) undisturbed.path("stream")).put("namespace", uniqueName("destkit_undisturbed"));
    sync(catalog(undisturbed), GeneratedInput.text(descriptor(undisturbed), keys, input.records()));
    return new Disturbed(input.records(), rows, finalRows(catalog(undisturbed), 0));
  }

  private ConnectorRun sync(JsonNode catalog, String input) {
    ConnectorRun run = run(catalog, input, PipelineSettings.defaults());
    assertThat(run.exitCode()).as("exit code; stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
    return run;
  }

  private ConnectorRun run(JsonNode catalog, String input, PipelineSettings settings) {
    return ConnectorRun.write(destination(), configJson(), catalog,
        new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)), tempDir, settings);
  }

  /** The one error trace of a failed run (exit code 1). */
  private static JsonNode error(ConnectorRun run) {
    assertThat(run.exitCode()).as("exit code; stdout %s", run.messages()).isEqualTo(1);
    List<ProtocolMessage> errors = run.messages(MessageType.TRACE).stream()
        .filter(message -> "ERROR".equals(message.json().path("trace").path("type").asText()))
        .toList();
    assertThat(errors).as("error traces").hasSize(1);
    return errors.get(0).json().path("trace").path("error");
  }

  /** Waits (a minute at most) until the condition holds. */
  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the condition did not hold within a minute");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  private static void close(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
