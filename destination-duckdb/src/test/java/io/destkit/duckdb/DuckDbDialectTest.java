package io.destkit.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.sql.ColumnInfo;
import io.destkit.sql.SchemaChanges;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DuckDB's statements, which are the kit's standard ones with DuckDB's types, as exact strings. */
class DuckDbDialectTest {
  private static final TableName USERS = new TableName("main", "users");
  private final DuckDbDialect dialect = new DuckDbDialect();

  @Test
  void createsATableWithTheMetaColumnsFirst() {
    assertThat(dialect.createTable(USERS, List.of(new ColumnDef("amount", "amount", AirbyteType.NUMBER, true)), true))
        .isEqualTo("CREATE OR REPLACE TABLE \"main\".\"users\" (\"_airbyte_raw_id\" UUID NOT NULL,"
            + " \"_airbyte_extracted_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"_airbyte_meta\" JSON NOT NULL,"
            + " \"_airbyte_generation_id\" BIGINT, \"amount\" DECIMAL(38, 9))");
  }

  @Test
  void evolvesATableAsInformationSchemaDescribesItWithTryCast() {
    List<ColumnInfo> actual = List.of(
        new ColumnInfo(MetaColumns.RAW_ID, "UUID", false),
        new ColumnInfo(MetaColumns.EXTRACTED_AT, "TIMESTAMP WITH TIME ZONE", false),
        new ColumnInfo(MetaColumns.META, "JSON", false),
        new ColumnInfo(MetaColumns.GENERATION_ID, "BIGINT", true),
        new ColumnInfo("amount", "DECIMAL(38,9)", true),
        new ColumnInfo("age", "VARCHAR", true),
        new ColumnInfo("gone", "BIGINT", true));
    SchemaChanges changes = SchemaChanges.between(dialect, USERS, actual, List.of(
        new ColumnDef("amount", "amount", AirbyteType.NUMBER, true),
        new ColumnDef("age", "age", AirbyteType.INTEGER, true)));

    assertThat(changes.statements()).containsExactly(
        "ALTER TABLE \"main\".\"users\" ALTER COLUMN \"age\" SET DATA TYPE BIGINT USING TRY_CAST(\"age\" AS BIGINT)");
    assertThat(changes.removedColumns()).containsExactly("gone");
  }

  @Test
  void overwritesByDroppingAndRenamingInTheSameSchema() {
    assertThat(dialect.overwriteTable(new TableName("main", "users_airbyte_tmp"), USERS)).containsExactly(
        "DROP TABLE IF EXISTS \"main\".\"users\"",
        "ALTER TABLE \"main\".\"users_airbyte_tmp\" RENAME TO \"users\"");
  }

  @Test
  void deletesTheRowsOfABatchByTheRangeOfItsUuidRawIds() {
    assertThat(dialect.deleteRawIdRange(USERS)).isEqualTo(
        "DELETE FROM \"main\".\"users\" WHERE \"_airbyte_raw_id\" BETWEEN CAST(? AS UUID) AND CAST(? AS UUID)");
  }

  @Test
  void removesTheVersion7RowsAfterAMarkButForTheKeptRangesComparingUuids() {
    assertThat(dialect.deleteRowsAfter(USERS, 0, false)).isEqualTo(
        "DELETE FROM \"main\".\"users\" WHERE \"_airbyte_raw_id\" > CAST(? AS UUID)"
            + " AND uuid_extract_version(\"_airbyte_raw_id\") = 7");
    assertThat(dialect.deleteRowsAfter(USERS, 1, true)).isEqualTo(
        "DELETE FROM \"main\".\"users\" WHERE \"_airbyte_raw_id\" > CAST(? AS UUID)"
            + " AND \"_airbyte_raw_id\" < CAST(? AS UUID) AND uuid_extract_version(\"_airbyte_raw_id\") = 7"
            + " AND NOT (\"_airbyte_raw_id\" BETWEEN CAST(? AS UUID) AND CAST(? AS UUID))");
  }
}
