package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.core.write.WriteContext;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once delivery across failed attempts, in process: an attempt that fails after committing
 * rows beyond its last emitted STATE is retried as the platform retries it (the source resumes
 * after that STATE and sends the rest again), and every record ends up in the table once. The
 * kill -9 variant of the same guarantee is {@code CrashRecoveryProcessSuite}.
 */
public abstract class ExactlyOnceSuite<C> extends BasicFunctionalitySuite<C> {
  private static final JsonNode SCHEMA = Fixtures.json(
      "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"v\":{\"type\":\"string\"}}}");

  private static ObjectNode items(String name) {
    return append(stream(null, name, SCHEMA), "id");
  }

  /** Records {@code from..to} of the stream, with value "v<id>" and emitted_at = id. */
  private static SyncInput records(SyncInput input, StreamDescriptor stream, int from, int to) {
    for (int id = from; id <= to; id++) {
      input.record(stream, 1_700_000_000_000L + id, Fixtures.json("{\"id\":" + id + ",\"v\":\"v" + id + "\"}"));
    }
    return input;
  }

  private static SyncInput state(SyncInput input, StreamDescriptor stream, int position) {
    return input.state(stream, Fixtures.json("{\"position\":" + position + "}"));
  }

  /** The ids in the stream's final table, sorted, duplicates kept. */
  private List<Long> ids(JsonNode catalog, int stream) throws Exception {
    StreamTables tables = tables(catalog, stream);
    List<Long> ids = new ArrayList<>();
    for (TableRow row : rows(tables)) {
      ids.add(Long.parseLong(row.values().get(tables.columns().get(0).name())));
    }
    ids.sort(null);
    return ids;
  }

  private static List<Long> range(long from, long to) {
    List<Long> ids = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      ids.add(id);
    }
    return ids;
  }

  private static List<String> logs(ConnectorRun run) {
    return run.messages(MessageType.LOG).stream().map(log -> log.json().path("log").path("message").asText()).toList();
  }

  @Test
  void theRetryOfAFailedAttemptRemovesTheRowsCommittedAfterItsLastStateAndEachRecordIsWrittenOnce()
      throws Exception {
    ObjectNode stream = items("items");
    StreamDescriptor items = descriptor(stream);
    ConnectorRun failed = failedSync(catalog(stream), records(state(records(new SyncInput(), items, 1, 2), items, 2),
        items, 3, 4));
    assertThat(failed.messages(MessageType.STATE)).hasSize(1);
    assertThat(ids(catalog(stream), 0)).as("committed by the failed attempt").isEqualTo(range(1, 4));

    ConnectorRun retry = sync(catalog(stream), records(new SyncInput(), items, 3, 5).complete(items));

    assertThat(ids(catalog(stream), 0)).isEqualTo(range(1, 5));
    assertThat(logs(retry)).anyMatch(message -> message.contains("removed 2 rows"));
  }

  @Test
  void severalFailedAttemptsInARowLeaveEachRecordOnce() throws Exception {
    ObjectNode stream = items("items");
    StreamDescriptor items = descriptor(stream);
    failedSync(catalog(stream), records(state(records(new SyncInput(), items, 1, 2), items, 2), items, 3, 3));
    failedSync(catalog(stream), records(state(records(new SyncInput(), items, 3, 5), items, 5), items, 6, 7));
    // This one fails before any state: nothing it wrote is covered.
    failedSync(catalog(stream), records(new SyncInput(), items, 6, 9));
    sync(catalog(stream), records(new SyncInput(), items, 6, 10).complete(items));

    assertThat(ids(catalog(stream), 0)).isEqualTo(range(1, 10));
  }

  @Test
  void aStreamThatEmittedNoStateIsWrittenOnceWhenTheRetrySendsItAgain() throws Exception {
    ObjectNode withStates = items("with_states");
    ObjectNode without = items("without_states");
    StreamDescriptor a = descriptor(withStates);
    StreamDescriptor b = descriptor(without);
    SyncInput first = records(new SyncInput(), a, 1, 3);
    records(first, b, 1, 3);
    state(first, a, 3);
    records(first, a, 4, 5);
    records(first, b, 4, 5);
    failedSync(catalog(withStates, without), first);

    SyncInput retry = records(new SyncInput(), a, 4, 6);
    records(retry, b, 1, 6);
    sync(catalog(withStates, without), retry.complete(a, b));

    assertThat(ids(catalog(withStates, without), 0)).isEqualTo(range(1, 6));
    assertThat(ids(catalog(withStates, without), 1)).isEqualTo(range(1, 6));
  }

  @Test
  void aGlobalStateCoversTheRecordsOfEveryStream() throws Exception {
    ObjectNode orders = items("orders");
    ObjectNode customers = items("customers");
    StreamDescriptor a = descriptor(orders);
    StreamDescriptor b = descriptor(customers);
    SyncInput first = records(new SyncInput(), a, 1, 2);
    records(first, b, 1, 3);
    first.globalState(Fixtures.json("{\"lsn\":100}"));
    records(first, a, 3, 4);
    records(first, b, 4, 4);
    failedSync(catalog(orders, customers), first);

    SyncInput retry = records(new SyncInput(), a, 3, 5);
    records(retry, b, 4, 5);
    retry.globalState(Fixtures.json("{\"lsn\":200}"));
    sync(catalog(orders, customers), retry.complete(a, b));

    assertThat(ids(catalog(orders, customers), 0)).isEqualTo(range(1, 5));
    assertThat(ids(catalog(orders, customers), 1)).isEqualTo(range(1, 5));
  }

  @Test
  void aSyncThatCompletedIsNeverCleanedByTheNextOne() throws Exception {
    ObjectNode stream = items("items");
    StreamDescriptor items = descriptor(stream);
    // No state at all: a finished sync's rows are final even so.
    sync(catalog(stream), records(new SyncInput(), items, 1, 3).complete(items));
    ConnectorRun next = sync(catalog(stream), records(new SyncInput(), items, 4, 5).complete(items));

    assertThat(ids(catalog(stream), 0)).isEqualTo(range(1, 5));
    assertThat(logs(next)).noneMatch(message -> message.contains("removed"));
  }

  @Test
  void aSyncThatCompletedIsRecordedAsFinishedInTheCheckpointTable() throws Exception {
    ObjectNode stream = items("items");
    StreamDescriptor items = descriptor(stream);
    sync(catalog(stream), records(new SyncInput(), items, 1, 3).complete(items));

    assertThat(checkpoint(catalog(stream), 0)).containsEntry("attempt_finished", "true")
        .containsEntry("sync_id", String.valueOf(SYNC_ID));
  }

  @Test
  void rowsWhoseRawIdsAreNotOfVersion7AreNeverRemoved() throws Exception {
    ObjectNode stream = items("items");
    StreamDescriptor items = descriptor(stream);
    failedSync(catalog(stream), records(state(records(new SyncInput(), items, 1, 2), items, 2), items, 3, 3));
    // A row as Airbyte's own destinations write them: a random (version 4) raw id, above every mark.
    StreamTables tables = tables(catalog(stream), 0);
    target().appendByHand(typedConfig(), tables.finalTable(), new TableRow(
        java.util.UUID.fromString("ffffffff-ffff-4fff-bfff-ffffffffffff"), java.time.Instant.now(),
        Fixtures.json("{\"sync_id\":" + SYNC_ID + ",\"changes\":[]}"), java.util.OptionalLong.of(0),
        Map.of(tables.columns().get(0).name(), "99")));

    sync(catalog(stream), records(new SyncInput(), items, 3, 4).complete(items));

    List<Long> expected = range(1, 4);
    expected.add(99L);
    assertThat(ids(catalog(stream), 0)).isEqualTo(expected);
  }

  @Test
  void aDedupedStreamHoldsOneRowPerKeyAfterAFailedAttempt() throws Exception {
    ObjectNode stream = dedupe(stream(null, "deduped", SCHEMA), "id", "id");
    StreamDescriptor deduped = descriptor(stream);
    failedSync(catalog(stream), records(state(records(new SyncInput(), deduped, 1, 2), deduped, 2), deduped, 3, 4));
    sync(catalog(stream), records(new SyncInput(), deduped, 3, 5).complete(deduped));

    assertThat(ids(catalog(stream), 0)).isEqualTo(range(1, 5));
    assertThat(tableExists(tables(catalog(stream), 0).tempTable())).isFalse();
  }

  @Test
  void aTruncateRefreshFailingTwiceKeepsTheOldGenerationWholeUntilItCompletesWithEachRecordOnce()
      throws Exception {
    ObjectNode prior = generations(items("refreshed"), 1, 1);
    StreamDescriptor refreshed = descriptor(prior);
    sync(catalog(prior), records(new SyncInput(), refreshed, 1, 3).complete(refreshed));

    ObjectNode refresh = overwrite(generations(items("refreshed"), 2, 2));
    failedSync(catalog(refresh), records(state(records(new SyncInput(), refreshed, 10, 11), refreshed, 11),
        refreshed, 12, 12));
    assertThat(ids(catalog(refresh), 0)).as("after the first failure").isEqualTo(range(1, 3));
    failedSync(catalog(refresh), records(state(records(new SyncInput(), refreshed, 12, 13), refreshed, 13),
        refreshed, 14, 14));
    assertThat(ids(catalog(refresh), 0)).as("after the second failure").isEqualTo(range(1, 3));
    sync(catalog(refresh), records(new SyncInput(), refreshed, 14, 15).complete(refreshed));

    assertThat(ids(catalog(refresh), 0)).isEqualTo(range(10, 15));
    assertThat(rows(tables(catalog(refresh), 0)))
        .allSatisfy(row -> assertThat(row.generationId()).hasValue(2));
  }

  /**
   * With several sockets, each partition's run takes a block of raw ids of its own, and a STATE may
   * cover a block above blocks it does not cover: the checkpoint keeps that block as a range above
   * the mark. Here three blocks lie above the mark of a failed attempt, and only the middle one is
   * kept: the retry removes the rows of the other two (and those after the mark, as ever) and keeps
   * the middle block's.
   */
  @Test
  void theRowsOfARangeTheCheckpointKeepsAboveItsMarkOutliveTheRetryAndTheUncoveredOnesGo() throws Exception {
    ObjectNode stream = items("items");
    StreamDescriptor items = descriptor(stream);
    failedSync(catalog(stream), records(state(records(new SyncInput(), items, 1, 2), items, 2), items, 3, 4));
    // Blocks an hour ahead: above every raw id the failed attempt wrote.
    long millis = System.currentTimeMillis() + 3_600_000L;
    RawIdRange below = RawIdRange.block(RawId.firstOf(millis).high());
    RawIdRange covered = RawIdRange.block(RawId.firstOf(millis + 1).high() | 0x0a5);
    RawIdRange above = RawIdRange.block(RawId.firstOf(millis + 2).high() | 0xfff);
    StreamTables tables = tables(catalog(stream), 0);
    appendByHand(tables, below.last(), 101);
    appendByHand(tables, covered.first(), 102);
    appendByHand(tables, covered.last(), 103);
    appendByHand(tables, above.first(), 104);
    TableCatalog tableCatalog =
        TableCatalog.build(TestCatalogs.destinationCatalog(catalog(stream)), destination().namingPolicy(typedConfig()));
    CheckpointStore.Checkpoint left;
    try (DestinationWriter writer = writer(tableCatalog)) {
      CheckpointStore store = writer.checkpoints();
      left = store.load().get(0).orElseThrow();
      assertThat(left.finished()).isFalse();
      store.advanceCoverage(Map.of(0, new CheckpointStore.Coverage(left.mark(), List.of(covered))));
    }
    try (DestinationWriter writer = writer(tableCatalog)) {
      assertThat(writer.checkpoints().load()).as("the checkpoint as the next attempt reads it")
          .containsExactly(Optional.of(new CheckpointStore.Checkpoint(left.mark(), false, List.of(covered))));
    }

    ConnectorRun retry = sync(catalog(stream), records(new SyncInput(), items, 3, 5).complete(items));

    List<Long> expected = range(1, 5);
    expected.addAll(List.of(102L, 103L));
    assertThat(ids(catalog(stream), 0)).isEqualTo(expected);
    assertThat(logs(retry)).anyMatch(message -> message.contains("removed 4 rows"));
  }

  private DestinationWriter writer(TableCatalog tableCatalog) throws Exception {
    DestinationWriter writer =
        destination().createWriter(typedConfig(), tableCatalog, WriteContext.of(PipelineSettings.defaults()));
    writer.setup();
    return writer;
  }

  /** A row with the raw id and the id, as a socket's partition would have written it. */
  private void appendByHand(StreamTables tables, RawId rawId, long id) throws Exception {
    target().appendByHand(typedConfig(), tables.finalTable(), new TableRow(
        new java.util.UUID(rawId.high(), rawId.low()), java.time.Instant.now(),
        Fixtures.json("{\"sync_id\":" + SYNC_ID + ",\"changes\":[]}"), java.util.OptionalLong.of(0),
        Map.of(tables.columns().get(0).name(), String.valueOf(id))));
  }

  /** The checkpoint table's row for the stream's final table, each value as text. */
  private Map<String, String> checkpoint(JsonNode catalog, int stream) throws Exception {
    TableCatalog tableCatalog =
        TableCatalog.build(TestCatalogs.destinationCatalog(catalog), destination().namingPolicy(typedConfig()));
    StreamTables tables = tableCatalog.get(stream);
    try (TestDatabase database = database("reads the kit's SQL checkpoint table");
        Connection connection = database.operations().connections().open();
        PreparedStatement statement = connection.prepareStatement("SELECT " + database.operations().dialect()
            .columnList(List.of("sync_id", "attempt_finished", "committed_raw_id"), null) + " FROM "
            + database.operations().dialect().qualified(
                new io.destkit.core.catalog.TableName(tableCatalog.internalNamespace(), "_destkit_sync_checkpoints"))
            + " WHERE " + database.operations().dialect().quote("table_namespace") + " = ? AND "
            + database.operations().dialect().quote("table_name") + " = ?")) {
      statement.setString(1, tables.finalTable().namespace());
      statement.setString(2, tables.finalTable().name());
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("a checkpoint row for %s", tables.finalTable()).isTrue();
        return Map.of("sync_id", rows.getString(1), "attempt_finished", String.valueOf(rows.getBoolean(2)),
            "committed_raw_id", rows.getString(3));
      }
    }
  }
}
