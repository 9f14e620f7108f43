package io.destkit.iceberg;

import static io.destkit.iceberg.IcebergAppendTest.catalog;
import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.CheckpointStore.Checkpoint;
import io.destkit.core.write.CheckpointStore.Coverage;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.testkit.TestCatalogs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both checkpoint stores of destination-iceberg keep the ranges of raw ids kept above each mark: the
 * table in the JDBC catalog's database (and a table of the previous layout gains the column), and
 * the properties of the catalog's own table that a REST catalog uses (a value of the previous
 * version reads as no range kept).
 */
class IcebergCheckpointStoresTest {
  private static final RawId FLOOR = new RawId(0x0190a6c800007000L, 0x8000000000000000L);
  private static final RawId MARK = new RawId(0x0190a6c900007123L, 0x8000000000000abcL);
  private static final RawIdRange A = RawIdRange.block(0x0190a6ca00007000L);
  private static final RawIdRange C = RawIdRange.block(0x0190a6cb00007fffL);

  @TempDir Path tempDir;

  private TableCatalog tables(IcebergConfig config) {
    return new IcebergDestination().tableCatalog(config, TestCatalogs.destinationCatalog(catalog(1, 0, 0)));
  }

  /** Begins, records a coverage with ranges, reads it back through a new store, then moves on. */
  private static void roundTrip(CheckpointStore store, java.util.function.Supplier<CheckpointStore> fresh)
      throws Exception {
    assertThat(store.load()).containsExactly(Optional.empty());
    store.begin(FLOOR);

    store.advanceCoverage(Map.of(0, new Coverage(MARK, List.of(C, A))));

    CheckpointStore reader = fresh.get();
    assertThat(reader.load()).containsExactly(Optional.of(new Checkpoint(MARK, false, List.of(A, C))));
    store.advance(Map.of(0, C.last()));
    assertThat(fresh.get().load()).containsExactly(Optional.of(new Checkpoint(C.last(), false)));
    store.finish(C.last());
    assertThat(fresh.get().load()).containsExactly(Optional.of(new Checkpoint(C.last(), true)));
  }

  @Test
  void theJdbcCheckpointTableKeepsTheRangesAboveEachMark() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    IcebergConfig config = IcebergConfig.from(fixture.config());
    IcebergConfig.JdbcCatalogConfig jdbc = (IcebergConfig.JdbcCatalogConfig) config.catalog();
    TableCatalog tables = tables(config);

    roundTrip(new JdbcCheckpointStore(jdbc, tables), () -> new JdbcCheckpointStore(jdbc, tables));
  }

  @Test
  void aJdbcCheckpointTableOfThePreviousLayoutGainsTheKeptRangesAndItsRowsKeepNone() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    IcebergConfig config = IcebergConfig.from(fixture.config());
    IcebergConfig.JdbcCatalogConfig jdbc = (IcebergConfig.JdbcCatalogConfig) config.catalog();
    TableCatalog tables = tables(config);
    try (Connection connection = DriverManager.getConnection(jdbc.jdbcUrl(), jdbc.username(), jdbc.password())) {
      try (Statement statement = connection.createStatement()) {
        // The table as the version before kept ranges made it.
        statement.execute("CREATE TABLE " + JdbcCheckpointStore.TABLE_NAME + " (catalog_name VARCHAR NOT NULL,"
            + " table_namespace VARCHAR NOT NULL, table_name VARCHAR NOT NULL, stream_namespace VARCHAR,"
            + " stream_name VARCHAR NOT NULL, sync_id BIGINT NOT NULL, generation_id BIGINT NOT NULL,"
            + " committed_raw_id VARCHAR NOT NULL, attempt_finished BOOLEAN NOT NULL,"
            + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (catalog_name, table_namespace, table_name))");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + JdbcCheckpointStore.TABLE_NAME
          + " VALUES (?, ?, ?, 'shop', 'Users', 1, 0, ?, FALSE, CURRENT_TIMESTAMP)")) {
        insert.setString(1, jdbc.catalogName());
        insert.setString(2, tables.get(0).finalTable().namespace());
        insert.setString(3, tables.get(0).finalTable().name());
        insert.setString(4, MARK.toString());
        insert.executeUpdate();
      }
    }

    JdbcCheckpointStore store = new JdbcCheckpointStore(jdbc, tables);
    assertThat(store.load()).containsExactly(Optional.of(new Checkpoint(MARK, false)));
    store.advanceCoverage(Map.of(0, new Coverage(MARK, List.of(A))));
    assertThat(new JdbcCheckpointStore(jdbc, tables).load())
        .containsExactly(Optional.of(new Checkpoint(MARK, false, List.of(A))));
    // The row of the previous layout reads as minimum generation id 0 and no state, then records one.
    assertThat(store.loadProgress())
        .containsExactly(Optional.of(new CheckpointStore.StreamProgress(1, 0, 0, false, null)));
    store.advanceCoverage(Map.of(), Map.of(0, "{\"type\":\"LEGACY\"}"));
    assertThat(store.loadProgress())
        .containsExactly(Optional.of(new CheckpointStore.StreamProgress(1, 0, 0, false, "{\"type\":\"LEGACY\"}")));
    try (Connection connection = DriverManager.getConnection(jdbc.jdbcUrl(), jdbc.username(), jdbc.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT kept_ranges FROM " + JdbcCheckpointStore.TABLE_NAME)) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo(A.first() + ".." + A.last());
    }
  }

  @Test
  void theCatalogTablesPropertiesKeepTheRangesAboveEachMark() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    IcebergConfig config = IcebergConfig.from(fixture.config());
    TableCatalog tables = tables(config);
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      roundTrip(new TableCheckpointStore(catalog, "public", tables), () -> new TableCheckpointStore(catalog, "public", tables));
    }
  }

  @Test
  void aCheckpointPropertyOfThePreviousVersionReadsAsNoRangeKept() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    IcebergConfig config = IcebergConfig.from(fixture.config());
    TableCatalog tables = tables(config);
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      TableCheckpointStore store = new TableCheckpointStore(catalog, "public", tables);
      store.load();
      Table checkpoints = catalog.loadTable(TableIdentifier.of(Namespace.of("public"), TableCheckpointStore.TABLE_NAME));
      checkpoints.updateProperties().set(TableCheckpointStore.key(tables.get(0).finalTable()),
          "{\"mark\":\"" + MARK + "\",\"finished\":false,\"sync_id\":1,\"generation_id\":0}").commit();

      assertThat(new TableCheckpointStore(catalog, "public", tables).load())
          .containsExactly(Optional.of(new Checkpoint(MARK, false)));
    }
  }

  private TableCatalog tables(IcebergConfig config, long syncId, long generation, long minimumGeneration) {
    return new IcebergDestination().tableCatalog(config,
        TestCatalogs.destinationCatalog(catalog(syncId, generation, minimumGeneration)));
  }

  /**
   * States recorded with the coverage and alone, the ids of the attempt, a state kept by a begin of
   * the same generation and cleared by one of another.
   */
  private void recordsStates(IcebergConfig config,
      java.util.function.Function<TableCatalog, CheckpointStore> stores) throws Exception {
    String first = "{\"type\":\"STREAM\",\"stream\":{\"stream_state\":{\"cursor\":1}}}";
    String second = "{\"type\":\"STREAM\",\"stream\":{\"stream_state\":{\"cursor\":2}}}";
    CheckpointStore store = stores.apply(tables(config, 7, 3, 0));
    store.load();
    store.begin(FLOOR);
    assertThat(stores.apply(tables(config, 7, 3, 0)).loadProgress())
        .containsExactly(Optional.of(new CheckpointStore.StreamProgress(7, 3, 0, false, null)));
    store.advanceCoverage(Map.of(0, new Coverage(MARK, List.of())), Map.of(0, first));
    assertThat(stores.apply(tables(config, 7, 3, 0)).loadProgress())
        .containsExactly(Optional.of(new CheckpointStore.StreamProgress(7, 3, 0, false, first)));
    store.advanceCoverage(Map.of(), Map.of(0, second));
    assertThat(stores.apply(tables(config, 7, 3, 0)).load())
        .containsExactly(Optional.of(new Checkpoint(MARK, false)));
    store.finish(MARK);
    assertThat(stores.apply(tables(config, 7, 3, 0)).loadProgress())
        .containsExactly(Optional.of(new CheckpointStore.StreamProgress(7, 3, 0, true, second)));

    CheckpointStore sameGeneration = stores.apply(tables(config, 8, 3, 3));
    sameGeneration.load();
    sameGeneration.begin(FLOOR);
    assertThat(sameGeneration.loadProgress())
        .containsExactly(Optional.of(new CheckpointStore.StreamProgress(8, 3, 3, false, second)));

    CheckpointStore otherGeneration = stores.apply(tables(config, 9, 4, 4));
    otherGeneration.load();
    otherGeneration.begin(FLOOR);
    assertThat(otherGeneration.loadProgress())
        .containsExactly(Optional.of(new CheckpointStore.StreamProgress(9, 4, 4, false, null)));
  }

  @Test
  void theJdbcCheckpointTableRecordsTheStatesOfEachGeneration() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    IcebergConfig config = IcebergConfig.from(fixture.config());
    IcebergConfig.JdbcCatalogConfig jdbc = (IcebergConfig.JdbcCatalogConfig) config.catalog();
    recordsStates(config, tables -> new JdbcCheckpointStore(jdbc, tables));
  }

  @Test
  void theCatalogTablesPropertiesRecordTheStatesOfEachGeneration() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    IcebergConfig config = IcebergConfig.from(fixture.config());
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      recordsStates(config, tables -> new TableCheckpointStore(catalog, "public", tables));
    }
  }

  @Test
  void aCheckpointPropertyOfThePreviousVersionReadsAsMinimumGenerationZeroAndNoState() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    IcebergConfig config = IcebergConfig.from(fixture.config());
    TableCatalog tables = tables(config);
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      TableCheckpointStore store = new TableCheckpointStore(catalog, "public", tables);
      store.load();
      Table checkpoints = catalog.loadTable(TableIdentifier.of(Namespace.of("public"), TableCheckpointStore.TABLE_NAME));
      checkpoints.updateProperties().set(TableCheckpointStore.key(tables.get(0).finalTable()),
          "{\"mark\":\"" + MARK + "\",\"kept_ranges\":\"\",\"finished\":true,\"sync_id\":5,\"generation_id\":2}").commit();

      assertThat(new TableCheckpointStore(catalog, "public", tables).loadProgress())
          .containsExactly(Optional.of(new CheckpointStore.StreamProgress(5, 2, 0, true, null)));
    }
  }
}
