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
        new TransientRetry(lostIsTransient, QUICK_RETRIES), Duration.ofMinutes(1));
    TableCatalog tables = TableCatalog.build(
        TestCatalogs.destinationCatalog(catalog), destination().namingPolicy(destination().bindConfig(configJson())));
    SqlDestinationWriter writer = new SqlDestinationWriter(tables, operations, database.bulkLoader(), () -> {});
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
