package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.operation.ErrorClassifier;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.RetrySettings;
import io.destkit.core.write.Row;
import io.destkit.core.write.StreamLoader;
import io.destkit.core.write.SyncLog;
import io.destkit.sql.BulkLoader;
import io.destkit.sql.ConnectionSource;
import io.destkit.sql.SqlDestinationWriter;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TransientRetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the kit's retries guarantee on every SQL destination, through the destination's dialect and
 * bulk loader on its real database: a batch whose commit went through but was reported as failed
 * (its acknowledgement lost) lands once when retried; a finalisation (an upsert, a swap) in the same
 * case is not applied twice; and the flush watchdog leaves a load that keeps moving alone, however
 * long it takes.
 *
 * @param <C> the destination's typed config
 */
public abstract class RetrySuite<C> extends BasicFunctionalitySuite<C> {
  private static final JsonNode USERS_SCHEMA = json("{\"type\":\"object\",\"properties\":{"
      + "\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},\"updated_at\":{\"type\":\"integer\"}}}");
  private static final RetrySettings QUICK_RETRIES = new RetrySettings(8, Duration.ofMillis(200), Duration.ofSeconds(2));

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
}
