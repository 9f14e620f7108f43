package io.destkit.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit's standard statements, as exact strings. */
class SqlDialectTest {
  private static final TableName USERS = new TableName("main", "users");
  private static final TableName TEMP = new TableName("main", "users_airbyte_tmp");
  private static final String META_COLUMNS =
      "\"_airbyte_raw_id\" UUID NOT NULL, \"_airbyte_extracted_at\" TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " \"_airbyte_meta\" JSON NOT NULL, \"_airbyte_generation_id\" BIGINT";

  private final SqlDialect dialect = new StandardDialect();

  @Test
  void createsATableWithTheMetaColumnsFirstThenTheUserColumns() {
    List<ColumnDef> columns = List.of(
        new ColumnDef("id", "id", AirbyteType.INTEGER, true),
        new ColumnDef("we\"ird", "we\"ird", AirbyteType.NUMBER, true));
    assertThat(dialect.createTable(USERS, columns, false)).isEqualTo(
        "CREATE TABLE IF NOT EXISTS \"main\".\"users\" (" + META_COLUMNS + ", \"id\" BIGINT, \"we\"\"ird\" DECIMAL(38, 9))");
    assertThat(dialect.createTable(TEMP, List.of(), true))
        .isEqualTo("CREATE OR REPLACE TABLE \"main\".\"users_airbyte_tmp\" (" + META_COLUMNS + ")");
  }

  @Test
  void overwritesATableOfTheSameNamespaceByDroppingItAndRenamingTheTempTable() {
    assertThat(dialect.overwriteTable(TEMP, USERS)).containsExactly(
        "DROP TABLE IF EXISTS \"main\".\"users\"",
        "ALTER TABLE \"main\".\"users_airbyte_tmp\" RENAME TO \"users\"");
  }

  @Test
  void refusesToOverwriteFromAnotherNamespaceWhichARenameCannotReach() {
    assertThatThrownBy(() -> dialect.overwriteTable(new TableName("airbyte_internal", "users_airbyte_tmp"), USERS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"airbyte_internal\".\"users_airbyte_tmp\"")
        .hasMessageContaining("\"main\".\"users\"");
  }

  @Test
  void copiesRowsNamingEveryColumn() {
    assertThat(dialect.copyRows(TEMP, USERS, List.of("_airbyte_raw_id", "id"))).isEqualTo(
        "INSERT INTO \"main\".\"users\" (\"_airbyte_raw_id\", \"id\") SELECT \"_airbyte_raw_id\", \"id\""
            + " FROM \"main\".\"users_airbyte_tmp\"");
  }

  @Test
  void countsTheNonNullValuesOfColumnsInOneScan() {
    assertThat(dialect.countNonNull(USERS, List.of("age", "we\"ird")))
        .isEqualTo("SELECT COUNT(\"age\"), COUNT(\"we\"\"ird\") FROM \"main\".\"users\"");
  }

  @Test
  void deletesTheRowsOfABatchByTheRangeOfItsRawIdsCastToTheColumnsType() {
    assertThat(dialect.deleteRawIdRange(USERS)).isEqualTo(
        "DELETE FROM \"main\".\"users\" WHERE \"_airbyte_raw_id\" BETWEEN CAST(? AS UUID) AND CAST(? AS UUID)");
  }

  @Test
  void removesTheVersion7RowsAfterAMarkButForTheKeptRanges() {
    assertThat(dialect.deleteRowsAfter(USERS, 0, false)).isEqualTo(
        "DELETE FROM \"main\".\"users\" WHERE \"_airbyte_raw_id\" > ? AND SUBSTRING(\"_airbyte_raw_id\" FROM 15 FOR 1) = '7'");
    assertThat(dialect.deleteRowsAfter(USERS, 2, true)).isEqualTo(
        "DELETE FROM \"main\".\"users\" WHERE \"_airbyte_raw_id\" > ? AND \"_airbyte_raw_id\" < ?"
            + " AND SUBSTRING(\"_airbyte_raw_id\" FROM 15 FOR 1) = '7'"
            + " AND NOT (\"_airbyte_raw_id\" BETWEEN ? AND ?) AND NOT (\"_airbyte_raw_id\" BETWEEN ? AND ?)");
  }

  @Test
  void theCheckpointTableHoldsTheKeptRangesAndATableOfThePreviousLayoutGainsThem() {
    TableName checkpoints = new TableName("airbyte_internal", "_destkit_sync_checkpoints");
    assertThat(dialect.createCheckpointTable(checkpoints)).isEqualTo(
        "CREATE TABLE IF NOT EXISTS \"airbyte_internal\".\"_destkit_sync_checkpoints\" (\"table_namespace\" VARCHAR NOT NULL,"
            + " \"table_name\" VARCHAR NOT NULL, \"stream_namespace\" VARCHAR, \"stream_name\" VARCHAR NOT NULL,"
            + " \"sync_id\" BIGINT NOT NULL, \"generation_id\" BIGINT NOT NULL, \"committed_raw_id\" VARCHAR NOT NULL,"
            + " \"attempt_finished\" BOOLEAN NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL,"
            + " \"kept_ranges\" VARCHAR, \"minimum_generation_id\" BIGINT, \"source_state\" VARCHAR, PRIMARY KEY (\"table_namespace\", \"table_name\"))");
    assertThat(dialect.addCheckpointRangesColumn(checkpoints)).isEqualTo(
        "ALTER TABLE \"airbyte_internal\".\"_destkit_sync_checkpoints\" ADD COLUMN IF NOT EXISTS \"kept_ranges\" VARCHAR");
    assertThat(dialect.selectCheckpoints(checkpoints)).isEqualTo(
        "SELECT \"table_namespace\", \"table_name\", \"committed_raw_id\", \"attempt_finished\", \"kept_ranges\","
            + " \"sync_id\", \"generation_id\", \"minimum_generation_id\", \"source_state\" FROM \"airbyte_internal\".\"_destkit_sync_checkpoints\"");
    assertThat(dialect.beginCheckpoint(checkpoints)).isEqualTo(
        "INSERT INTO \"airbyte_internal\".\"_destkit_sync_checkpoints\" (\"table_namespace\", \"table_name\","
            + " \"stream_namespace\", \"stream_name\", \"sync_id\", \"generation_id\", \"minimum_generation_id\","
            + " \"committed_raw_id\", \"kept_ranges\", \"attempt_finished\", \"updated_at\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', FALSE, CURRENT_TIMESTAMP)"
            + " ON CONFLICT (\"table_namespace\", \"table_name\") DO UPDATE SET \"stream_namespace\" = excluded.\"stream_namespace\","
            + " \"stream_name\" = excluded.\"stream_name\", \"sync_id\" = excluded.\"sync_id\","
            + " \"generation_id\" = excluded.\"generation_id\", \"minimum_generation_id\" = excluded.\"minimum_generation_id\","
            + " \"committed_raw_id\" = excluded.\"committed_raw_id\","
            + " \"kept_ranges\" = excluded.\"kept_ranges\", \"attempt_finished\" = excluded.\"attempt_finished\","
            + " \"updated_at\" = excluded.\"updated_at\"");
    assertThat(dialect.advanceCheckpoint(checkpoints, false)).isEqualTo(
        "UPDATE \"airbyte_internal\".\"_destkit_sync_checkpoints\" SET \"committed_raw_id\" = ?, \"kept_ranges\" = ?,"
            + " \"updated_at\" = CURRENT_TIMESTAMP WHERE \"table_namespace\" = ? AND \"table_name\" = ?");
    assertThat(dialect.advanceCheckpoint(checkpoints, true)).isEqualTo(
        "UPDATE \"airbyte_internal\".\"_destkit_sync_checkpoints\" SET \"committed_raw_id\" = ?, \"kept_ranges\" = ?,"
            + " \"attempt_finished\" = TRUE, \"updated_at\" = CURRENT_TIMESTAMP WHERE \"table_namespace\" = ? AND"
            + " \"table_name\" = ?");
    assertThat(dialect.addCheckpointColumn(checkpoints, "source_state", "VARCHAR")).isEqualTo(
        "ALTER TABLE \"airbyte_internal\".\"_destkit_sync_checkpoints\" ADD COLUMN IF NOT EXISTS \"source_state\" VARCHAR");
    assertThat(dialect.clearCheckpointStateOfOtherGeneration(checkpoints)).isEqualTo(
        "UPDATE \"airbyte_internal\".\"_destkit_sync_checkpoints\" SET \"source_state\" = NULL WHERE"
            + " \"table_namespace\" = ? AND \"table_name\" = ? AND \"generation_id\" <> ?");
    assertThat(dialect.recordCheckpointState(checkpoints)).isEqualTo(
        "UPDATE \"airbyte_internal\".\"_destkit_sync_checkpoints\" SET \"source_state\" = ? WHERE"
            + " \"table_namespace\" = ? AND \"table_name\" = ?");
  }
}
