package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.testkit.DedupeSuite;
import io.destkit.testkit.Fixtures;
import io.destkit.testkit.TestTarget;
import io.destkit.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class PostgresDedupeTest extends DedupeSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  /**
   * The sync that creates the key index analyzes the table after its upsert (the next sync's planner
   * then knows the keys are unique and looks them up); a sync that finds the index does not.
   */
  @Test
  void onlyTheSyncThatCreatesTheKeyIndexAnalyzesTheTable() throws Exception {
    ObjectNode stream = dedupe(datStream(null, "analyzed"), "updated_at", "id1", "id2");
    sync(catalog(stream), completeSync(stream, dat("sync1_messages.jsonl")));
    StreamTables tables = tables(catalog(stream), 0);
    assertThat(keyIndexStatistics(tables)).isPositive();
    assertThat(manualAnalyzeCount(tables)).isEqualTo(1);

    sync(catalog(stream), completeSync(stream, dat("sync2_messages.jsonl")));
    assertThat(manualAnalyzeCount(tables)).isEqualTo(1);
  }

  /** Only a table's owner may index it: a role that may only write the table dedupes into it without the index. */
  @Test
  void aRoleThatMayWriteButNotIndexTheTableDedupesWithoutTheKeyIndex() throws Exception {
    ObjectNode stream = dedupe(datStream(null, "not_owned"), "updated_at", "id1", "id2");
    StreamTables tables = tables(catalog(stream), 0);
    String schema = new PostgresDialect(false).quote(tables.finalTable().namespace());
    String table = new PostgresDialect(false).qualified(tables.finalTable());
    PostgresTarget.server().execute(PostgresServer.DEFAULT_DATABASE,
        "CREATE SCHEMA " + schema,
        "GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + PostgresTarget.WRITER,
        new PostgresDialect(false).createTable(tables.finalTable(), tables.columns(), false),
        "GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + " TO " + PostgresTarget.WRITER);
    try {
      sync(catalog(stream), completeSync(stream, dat("sync1_messages.jsonl")));
      sync(catalog(stream), completeSync(stream, dat("sync2_messages.jsonl")));

      assertFinalRows(catalog(stream), Fixtures.withGeneration(dat("sync2_expectedrecords_incremental_dedup_final.jsonl"), 0));
      assertThat(count("SELECT count(*) FROM pg_catalog.pg_indexes WHERE schemaname = ? AND tablename = ?", tables))
          .isZero();
    } finally {
      PostgresTarget.server().execute(PostgresServer.DEFAULT_DATABASE, "DROP TABLE " + table);
    }
  }

  /** Statistics rows of the key index's expressions. */
  private static long keyIndexStatistics(StreamTables tables) throws Exception {
    return count("SELECT count(*) FROM pg_catalog.pg_statistic s JOIN pg_catalog.pg_class i ON i.oid = s.starelid"
        + " JOIN pg_catalog.pg_indexes x ON x.indexname = i.relname AND x.schemaname = i.relnamespace::regnamespace::text"
        + " WHERE x.schemaname = ? AND x.tablename = ? AND x.indexname LIKE '%\\_dedupe\\_key\\_%'", tables);
  }

  private static long manualAnalyzeCount(StreamTables tables) throws Exception {
    return count("SELECT analyze_count FROM pg_catalog.pg_stat_user_tables WHERE schemaname = ? AND relname = ?", tables);
  }

  private static long count(String sql, StreamTables tables) throws Exception {
    try (Connection connection = PostgresTarget.server().superuserConnection(PostgresServer.DEFAULT_DATABASE);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, tables.finalTable().namespace());
      statement.setString(2, tables.finalTable().name());
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as(sql).isTrue();
        return rows.getLong(1);
      }
    }
  }
}
