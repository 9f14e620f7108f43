package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.operation.ErrorClassifier;
import io.destkit.core.pipeline.PipelineSettings;
import io.destkit.core.pipeline.RecordBatch;
import io.destkit.core.pipeline.RetrySettings;
import io.destkit.core.pipeline.Row;
import io.destkit.core.write.StreamLoader;
import io.destkit.core.write.SyncLog;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.ProtocolMessage;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.sql.BulkLoader;
import io.destkit.sql.ConnectionSource;
import io.destkit.sql.SqlDestinationWriter;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TransientRetry;
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
 * Syncs that meet faults and must survive them: transient failures are retried, a retried batch
 * lands exactly once, a finalisation whose commit went through unacknowledged is not applied twice,
 * a failure the user must fix fails at once, and a load that hangs is cancelled.
 *
 * <p>The lost acknowledgements apply to every SQL destination. Faults of a server (its connections
 * terminated, a restart, a lock held by another session, a revoked privilege) apply to destinations
 * that have one ({@link #serverFaults()}); for the others those tests are skipped.
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

  // ---- the flush timeout

  @Test
  void aLoadThatKeepsMovingIsNotCancelledHoweverLongItTakes() throws Exception {
    ObjectNode stream = stream(uniqueName("destkit_slow"), "users", USERS_SCHEMA);
    StreamTables tables = tables(catalog(stream), 0);
    try (TestDatabase database = database()) {
      // Hands the database a row every 4 ms: 1000 rows take 4 s, twice the timeout, in steps far shorter.
      BulkLoader slow = (connection, table, layout, destinationStream, batch) -> database.bulkLoader().load(
          connection, table, layout, destinationStream,
          new RecordBatch(batch.streamIndex(), batch.firstSequence(), new SlowRows(batch.rows()), batch.bytes()));
      LostAcknowledgements connections = new LostAcknowledgements(database.operations().connections());
      StreamLoader loader = loader(database, connections, slow, catalog(stream), Duration.ofSeconds(2));
      loader.start();
      long started = System.nanoTime();
      loader.write(batch(tables, 0, 1000));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(3));
      loader.close(true);
    }
    assertThat(finalRows(catalog(stream), 0)).hasSize(1000);
  }

  /** A batch's rows, each read after a pause, as from a slow source of rows. */
  private static final class SlowRows extends java.util.AbstractList<Row> implements java.util.RandomAccess {
    private final List<Row> rows;

    SlowRows(List<Row> rows) {
      this.rows = rows;
    }

    @Override
    public Row get(int index) {
      try {
        Thread.sleep(4);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return rows.get(index);
    }

    @Override
    public int size() {
      return rows.size();
    }
  }

  // ---- faults of the server, mid-sync

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
      upsert = "DELETE FROM " + database.operations().dialect().qualified(tables.finalTable());
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

  // ---- lost acknowledgements (every SQL destination)

  @Test
  void aBatchWhoseCommitWentThroughButWasReportedAsFailedLandsOnce() throws Exception {
    ObjectNode stream = stream(uniqueName("destkit_lost_ack"), "users", USERS_SCHEMA);
    StreamTables tables = tables(catalog(stream), 0);
    try (TestDatabase database = database()) {
      LostAcknowledgements connections = new LostAcknowledgements(database.operations().connections());
      StreamLoader loader = loader(database, connections, catalog(stream));
      loader.start();
      loader.write(batch(tables, 0, 3));
      connections.loseNextCommit();
      loader.write(batch(tables, 3, 3));
      loader.write(batch(tables, 6, 2));
      loader.close(true);

      assertThat(connections.lost()).isEqualTo(1);
    }
    assertThat(finalRows(catalog(stream), 0)).extracting(row -> row.get("id"))
        .containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5", "6", "7");
  }

  @Test
  void aDedupeWhoseUpsertWentThroughButWasReportedAsFailedIsNotAppliedTwice() throws Exception {
    ObjectNode stream = dedupe(stream(uniqueName("destkit_lost_ack"), "users", USERS_SCHEMA), "updated_at", "id");
    StreamTables tables = tables(catalog(stream), 0);
    try (TestDatabase database = database()) {
      LostAcknowledgements connections = new LostAcknowledgements(database.operations().connections());
      StreamLoader loader = loader(database, connections, catalog(stream));
      loader.start();
      loader.write(batch(tables, 0, 4));
      connections.loseNextCommit();
      loader.close(true);

      assertThat(connections.lost()).isEqualTo(1);
      assertThat(database.operations().tableExists(tables.tempTable())).isFalse();
    }
    assertThat(finalRows(catalog(stream), 0)).extracting(row -> row.get("id"))
        .containsExactlyInAnyOrder("0", "1", "2", "3");
  }

  @Test
  void aTruncateRefreshWhoseSwapWentThroughButWasReportedAsFailedKeepsTheNewGeneration() throws Exception {
    String namespace = uniqueName("destkit_lost_ack");
    ObjectNode first = generations(overwrite(stream(namespace, "users", USERS_SCHEMA)), 1, 1);
    ObjectNode second = generations(overwrite(stream(namespace, "users", USERS_SCHEMA)), 2, 2);
    try (TestDatabase database = database()) {
      LostAcknowledgements connections = new LostAcknowledgements(database.operations().connections());
      StreamLoader firstLoader = loader(database, connections, catalog(first));
      firstLoader.start();
      firstLoader.write(batch(tables(catalog(first), 0), 0, 3));
      firstLoader.close(true);
      StreamTables secondTables = tables(catalog(second), 0);
      StreamLoader secondLoader = loader(database, connections, catalog(second));
      secondLoader.start();
      secondLoader.write(batch(secondTables, 10, 2));
      connections.loseNextCommit();
      secondLoader.close(true);

      assertThat(connections.lost()).isEqualTo(1);
    }
    assertThat(finalRows(catalog(second), 0)).extracting(row -> row.get("id")).containsExactlyInAnyOrder("10", "11");
    assertThat(finalRows(catalog(second), 0)).extracting(row -> row.get("_airbyte_generation_id")).containsOnly("2");
  }

  /**
   * The kit's loader for the stream over connections that may lose acknowledgements, retrying what
   * they report (quickly), as a sync's loaders retry transient failures.
   */
  private StreamLoader loader(TestDatabase database, LostAcknowledgements connections, JsonNode catalog) {
    return loader(database, connections, database.bulkLoader(), catalog, Duration.ofMinutes(1));
  }

  private StreamLoader loader(
      TestDatabase database, ConnectionSource connections, BulkLoader bulkLoader, JsonNode catalog,
      Duration flushTimeout) {
    ErrorClassifier lostIsTransient = new ErrorClassifier() {
      @Override
      public Optional<io.destkit.core.ConfigErrorException> configError(Throwable failure) {
        return Optional.empty();
      }

      @Override
      public boolean isTransient(Throwable failure) {
        return LostAcknowledgements.isLostAcknowledgement(failure);
      }
    };
    TableOperations operations = new TableOperations(
        connections, database.operations().dialect(), SyncLog.NONE, false,
        new TransientRetry(lostIsTransient, QUICK_RETRIES), flushTimeout);
    TableCatalog tables = TableCatalog.build(
        TestCatalogs.destinationCatalog(catalog), destination().namingPolicy(destination().bindConfig(configJson())));
    SqlDestinationWriter writer = new SqlDestinationWriter(tables, operations, bulkLoader, () -> {});
    try {
      writer.setup();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return writer.createStreamLoader(tables.get(0));
  }

  /** Rows {@code first} to {@code first + count - 1} of the generated users, with increasing time-ordered raw ids. */
  private RecordBatch batch(StreamTables tables, int first, int count) {
    List<ColumnDef> columns = tables.columns();
    List<Row> rows = new ArrayList<>();
    long high = (System.currentTimeMillis() << 16) | 0x7000L;
    for (int i = first; i < first + count; i++) {
      Row values = TestRows.row(columns,
          json("{\"id\":" + i + ",\"name\":\"user " + i + "\",\"updated_at\":" + i + "}"), 1_700_000_000_000L + i,
          destination().valueLimits());
      rows.add(new Row(high, 0x8000000000000000L | i, values.extractedAtMillis(), null, values.values()));
    }
    return new RecordBatch(0, first + 1, rows, 0);
  }
}
