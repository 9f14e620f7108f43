package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.CheckpointStore.Checkpoint;
import io.destkit.core.write.CheckpointStore.Coverage;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.core.write.StreamLoader;
import io.destkit.core.write.WriteContext;
import io.destkit.sql.SqlCheckpointStore;
import io.destkit.sql.SqlDialect;
import io.destkit.sql.TableOperations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The SQL side of the kit's exactly-once bookkeeping with several sockets, against the
 * destination's real database: the checkpoint table keeps, per table, the ranges of raw ids above
 * the mark that emitted STATEs cover (and a table of the previous layout gains the column), and the
 * removal after an interrupted attempt deletes the rows above the mark but for those ranges, from
 * the final and the temp table, keeping rows whose raw ids are not of version 7.
 *
 * <p>The ids are chosen so that their text crosses from {@code 9} to {@code a} between blocks: a
 * database that keeps raw ids as text must compare them as their UUIDs order.
 */
public abstract class RawIdRemovalSuite<C> extends DatabaseSuite<C> {
  private static final JsonNode SCHEMA = Fixtures.json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}");
  private static final RawId BELOW = new RawId(high(0x01909ffffff0L, 0x001), 0x8000000000000001L);
  private static final RawId MARK = new RawId(high(0x01909ffffffeL, 0x123), 0x8000000000000abcL);
  /** Uncovered, below the kept block. */
  private static final RawIdRange B = RawIdRange.block(high(0x01909fffffffL, 0xfff));
  /** Covered by an emitted STATE although above the mark: kept. */
  private static final RawIdRange A = RawIdRange.block(high(0x0190a0000000L, 0x000));
  /** Uncovered, above the kept block. */
  private static final RawIdRange C = RawIdRange.block(high(0x0190a0000001L, 0x5a5));
  /** Version 4 ids (as Airbyte's own destinations write), below the mark, inside B, and above all. */
  private static final List<RawId> OTHER_TOOLS = List.of(
      RawId.parse("00000000-0000-4000-8000-000000000000"),
      new RawId((0x01909fffffffL << 16) | 0x4fff, 0x8000000000000007L),
      RawId.parse("ffffffff-ffff-4fff-bfff-ffffffffffff"));

  private static long high(long epochMillis, int counter) {
    return (epochMillis << 16) | 0x7000L | counter;
  }

  private static final List<RawId> COVERED_BY_MARK = List.of(BELOW, MARK);
  private static final List<RawId> IN_A = List.of(A.first(), new RawId(A.first().high(), 0xa5a5a5a5a5a5a5a5L), A.last());
  private static final List<RawId> UNCOVERED = List.of(
      B.first(), new RawId(B.first().high(), 0x9fffffffffffffffL), C.first(), C.last());

  private TableCatalog catalog(String... names) {
    String namespace = uniqueName("destkit_ranges");
    List<JsonNode> streams = new ArrayList<>();
    for (String name : names) {
      streams.add(TestCatalogs.stream(namespace, name, SCHEMA));
    }
    return TableCatalog.build(TestCatalogs.destinationCatalog(TestCatalogs.catalog(streams.toArray(JsonNode[]::new))),
        destination().namingPolicy(config()));
  }

  private static void insert(TestDatabase database, TableName table, List<RawId> ids) throws Exception {
    for (RawId id : ids) {
      database.insert(table, new TableRow(new UUID(id.high(), id.low()), Instant.parse("2024-07-01T00:00:00Z"),
          Fixtures.json("{\"sync_id\":1,\"changes\":[]}"), OptionalLong.of(0), Map.of()));
    }
  }

  private static List<RawId> rawIds(TestDatabase database, TableName table) throws Exception {
    return database.rows(table).stream()
        .map(row -> new RawId(row.rawId().getMostSignificantBits(), row.rawId().getLeastSignificantBits()))
        .sorted()
        .toList();
  }

  private static List<RawId> sorted(List<RawId> a, List<RawId> b, List<RawId> c) {
    List<RawId> all = new ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    all.sort(null);
    return all;
  }

  /** Creates the stream's final and temp tables, each holding every id of the fixture. */
  private static void tablesWithEveryId(TestDatabase database, StreamTables tables) throws Exception {
    for (TableName table : List.of(tables.finalTable(), tables.tempTable())) {
      database.operations().createNamespace(table.namespace());
      database.operations().createTable(table, tables.columns(), false);
      insert(database, table, sorted(sorted(COVERED_BY_MARK, IN_A, UNCOVERED), OTHER_TOOLS, List.of()));
    }
  }

  private long discardAfter(TableCatalog catalog, RawId mark, List<RawIdRange> kept) throws Exception {
    try (DestinationWriter writer =
        destination().createWriter(config(), catalog, WriteContext.of(PipelineSettings.defaults()))) {
      writer.setup();
      StreamLoader loader = writer.createStreamLoader(catalog.get(0));
      return loader.discardAfter(mark, kept);
    }
  }

  @Test
  void theRemovalKeepsTheRowsOfTheKeptRangesInTheFinalAndTheTempTable() throws Exception {
    TableCatalog catalog = catalog("items");
    StreamTables tables = catalog.get(0);
    try (TestDatabase database = openDatabase(config())) {
      tablesWithEveryId(database, tables);
    }

    long removed = discardAfter(catalog, MARK, List.of(A));

    assertThat(removed).as("the uncovered rows of both tables").isEqualTo(2L * UNCOVERED.size());
    try (TestDatabase database = openDatabase(config())) {
      List<RawId> kept = sorted(COVERED_BY_MARK, IN_A, OTHER_TOOLS);
      assertThat(rawIds(database, tables.finalTable())).as("final table").isEqualTo(kept);
      assertThat(rawIds(database, tables.tempTable())).as("temp table").isEqualTo(kept);
    }
  }

  @Test
  void withNoKeptRangeEveryVersion7RowAboveTheMarkIsRemovedAsBefore() throws Exception {
    TableCatalog catalog = catalog("items");
    StreamTables tables = catalog.get(0);
    try (TestDatabase database = openDatabase(config())) {
      tablesWithEveryId(database, tables);
    }

    long removed = discardAfter(catalog, MARK, List.of());

    assertThat(removed).isEqualTo(2L * (IN_A.size() + UNCOVERED.size()));
    try (TestDatabase database = openDatabase(config())) {
      List<RawId> kept = sorted(COVERED_BY_MARK, OTHER_TOOLS, List.of());
      assertThat(rawIds(database, tables.finalTable())).as("final table").isEqualTo(kept);
      assertThat(rawIds(database, tables.tempTable())).as("temp table").isEqualTo(kept);
    }
  }

  /** More kept ranges than one statement takes (500): the removal is cut into spans, none lost between them. */
  @Test
  void aThousandAndOneKeptRangesAreAllKeptAndTheGapsBetweenThemRemoved() throws Exception {
    TableCatalog catalog = catalog("items");
    TableName table = catalog.get(0).finalTable();
    long base = 0x0190b0000000L;
    List<RawIdRange> kept = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      kept.add(RawIdRange.block(high(base + 2L * i, 0x10)));
    }
    List<RawId> inKept = new ArrayList<>();
    for (int i : new int[] {0, 1, 498, 499, 500, 501, 999, 1000}) {
      inKept.add(new RawId(kept.get(i).first().high(), 0x8000000000000000L | i));
    }
    // Ids between the mark and the first range, in the gaps either side of a statement's span, after the last.
    List<RawId> inGaps = new ArrayList<>();
    inGaps.add(new RawId(high(base - 1, 0x10), 0x8000000000000001L));
    for (int i : new int[] {0, 498, 499, 500, 998, 999, 1000}) {
      inGaps.add(new RawId(high(base + 2L * i + 1, 0x10), 0x8000000000000002L));
    }
    RawId mark = new RawId(high(base - 2, 0x10), 0x8000000000000000L);
    try (TestDatabase database = openDatabase(config())) {
      TableOperations operations = database.operations();
      operations.createNamespace(table.namespace());
      operations.createTable(table, catalog.get(0).columns(), false);
      insert(database, table, sorted(inKept, inGaps, List.of(mark)));

      long removed = operations.deleteRowsAfter(table, mark, kept);

      assertThat(removed).isEqualTo(inGaps.size());
      assertThat(rawIds(database, table)).isEqualTo(sorted(inKept, List.of(mark), List.of()));
    }
  }

  @Test
  void theCheckpointTableKeepsEachTablesMarkAndTheRangesAboveIt() throws Exception {
    TableCatalog catalog = catalog("orders", "customers");
    try (TestDatabase database = openDatabase(config())) {
      SqlCheckpointStore store = new SqlCheckpointStore(database.operations(), catalog);
      assertThat(store.load()).containsExactly(Optional.empty(), Optional.empty());
      store.begin(BELOW);

      store.advanceCoverage(Map.of(0, new Coverage(MARK, List.of(C, A)), 1, new Coverage(MARK, List.of())));

      assertThat(new SqlCheckpointStore(database.operations(), catalog).load()).containsExactly(
          Optional.of(new Checkpoint(MARK, false, List.of(A, C))), Optional.of(new Checkpoint(MARK, false)));
      assertThat(new SqlCheckpointStore(database.operations(), catalog).load().get(0).orElseThrow().highestCovered())
          .isEqualTo(C.last());

      store.advance(Map.of(0, C.last()));
      assertThat(store.load().get(0)).hasValue(new Checkpoint(C.last(), false));
      store.finish(C.last());
      assertThat(store.load()).containsOnly(Optional.of(new Checkpoint(C.last(), true)));
    }
  }

  @Test
  void aCheckpointTableOfThePreviousLayoutGainsTheKeptRangesAndItsRowsKeepNone() throws Exception {
    TableCatalog catalog = catalog("orders");
    TableName finalTable = catalog.get(0).finalTable();
    try (TestDatabase database = openDatabase(config())) {
      TableOperations operations = database.operations();
      SqlDialect dialect = operations.dialect();
      TableName checkpoints = new TableName(catalog.internalNamespace(), SqlCheckpointStore.TABLE_NAME);
      operations.createNamespace(checkpoints.namespace());
      // The table as the version before kept ranges made it.
      operations.execute("CREATE TABLE " + dialect.qualified(checkpoints) + " ("
          + dialect.quote("table_namespace") + " VARCHAR NOT NULL, "
          + dialect.quote("table_name") + " VARCHAR NOT NULL, "
          + dialect.quote("stream_namespace") + " VARCHAR, "
          + dialect.quote("stream_name") + " VARCHAR NOT NULL, "
          + dialect.quote("sync_id") + " BIGINT NOT NULL, "
          + dialect.quote("generation_id") + " BIGINT NOT NULL, "
          + dialect.quote("committed_raw_id") + " VARCHAR NOT NULL, "
          + dialect.quote("attempt_finished") + " BOOLEAN NOT NULL, "
          + dialect.quote("updated_at") + " TIMESTAMP WITH TIME ZONE NOT NULL, "
          + "PRIMARY KEY (" + dialect.quote("table_namespace") + ", " + dialect.quote("table_name") + "))");
      try (Connection connection = operations.connections().open();
          PreparedStatement insert = connection.prepareStatement("INSERT INTO " + dialect.qualified(checkpoints)
              + " VALUES (?, ?, ?, ?, 1, 0, ?, FALSE, CURRENT_TIMESTAMP)")) {
        insert.setString(1, finalTable.namespace());
        insert.setString(2, finalTable.name());
        insert.setString(3, catalog.get(0).stream().descriptor().namespace());
        insert.setString(4, catalog.get(0).stream().descriptor().name());
        insert.setString(5, MARK.toString());
        insert.executeUpdate();
      }

      SqlCheckpointStore store = new SqlCheckpointStore(operations, catalog);
      assertThat(store.load()).containsExactly(Optional.of(new Checkpoint(MARK, false)));
      assertThat(operations.columns(checkpoints)).containsKey("kept_ranges");

      store.advanceCoverage(Map.of(0, new Coverage(MARK, List.of(A))));
      assertThat(new SqlCheckpointStore(operations, catalog).load())
          .containsExactly(Optional.of(new Checkpoint(MARK, false, List.of(A))));
    }
  }
}
