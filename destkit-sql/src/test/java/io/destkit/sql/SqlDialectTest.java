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
}
