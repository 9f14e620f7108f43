package io.destkit.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements that evolve a table, with the kit's standard statements, as exact strings. */
class SchemaChangesTest {
  private static final TableName USERS = new TableName("main", "users");

  private final SqlDialect dialect = new StandardDialect();

  private static List<ColumnInfo> withMetaColumns(ColumnInfo... user) {
    List<ColumnInfo> columns = new ArrayList<>(List.of(
        new ColumnInfo(MetaColumns.RAW_ID, "UUID", false),
        new ColumnInfo(MetaColumns.EXTRACTED_AT, "TIMESTAMP WITH TIME ZONE", false),
        new ColumnInfo(MetaColumns.META, "JSON", false),
        new ColumnInfo(MetaColumns.GENERATION_ID, "BIGINT", true)));
    columns.addAll(List.of(user));
    return columns;
  }

  private static ColumnDef column(String name, AirbyteType type) {
    return new ColumnDef(name, name, type, true);
  }

  @Test
  void aTableThatMatchesTheStreamNeedsNoChange() {
    SchemaChanges changes = SchemaChanges.between(dialect, USERS,
        withMetaColumns(new ColumnInfo("id", "BIGINT", true), new ColumnInfo("amount", "DECIMAL(38,9)", true)),
        List.of(column("id", AirbyteType.INTEGER), column("amount", AirbyteType.NUMBER)));

    assertThat(changes.isEmpty()).isTrue();
    assertThat(changes.retyped()).isEmpty();
    assertThat(changes.removedColumns()).isEmpty();
  }

  @Test
  void addsRetypesMakesNullableAndOnlyListsTheColumnsTheStreamNoLongerHas() {
    List<ColumnInfo> actual = new ArrayList<>(withMetaColumns(
        new ColumnInfo("id", "BIGINT", true),
        new ColumnInfo("old", "VARCHAR", true),
        new ColumnInfo("age", "VARCHAR", false),
        new ColumnInfo("data", "VARCHAR", true),
        new ColumnInfo("by hand", "INTEGER", true)));
    actual.removeIf(info -> info.name().equals(MetaColumns.GENERATION_ID));
    SchemaChanges changes = SchemaChanges.between(dialect, USERS, actual, List.of(
        column("id", AirbyteType.INTEGER),
        column("age", AirbyteType.INTEGER),
        column("data", AirbyteType.UNKNOWN),
        column("added", AirbyteType.NUMBER)));

    assertThat(changes.statements()).containsExactly(
        "ALTER TABLE \"main\".\"users\" ADD COLUMN \"_airbyte_generation_id\" BIGINT",
        "ALTER TABLE \"main\".\"users\" ALTER COLUMN \"age\" SET DATA TYPE BIGINT USING TRY_CAST(\"age\" AS BIGINT)",
        "ALTER TABLE \"main\".\"users\" ALTER COLUMN \"age\" DROP NOT NULL",
        "ALTER TABLE \"main\".\"users\" ALTER COLUMN \"data\" SET DATA TYPE JSON USING CAST(to_json(\"data\") AS JSON)",
        "ALTER TABLE \"main\".\"users\" ADD COLUMN \"added\" DECIMAL(38, 9)");
    // A change to JSON nulls nothing, so only the safe cast is counted.
    assertThat(changes.retyped()).containsExactly(new SchemaChanges.Retype("age", "VARCHAR", "BIGINT"));
    assertThat(changes.removedColumns()).containsExactly("old", "by hand");
    assertThat(changes.dropStatements(dialect, USERS)).containsExactly(
        "ALTER TABLE \"main\".\"users\" DROP COLUMN \"old\"",
        "ALTER TABLE \"main\".\"users\" DROP COLUMN \"by hand\"");
  }

  @Test
  void typesCompareIgnoringSpacesAndCase() {
    SchemaChanges changes = SchemaChanges.between(dialect, USERS,
        withMetaColumns(new ColumnInfo("at", "timestamp with time zone", true)),
        List.of(column("at", AirbyteType.TIMESTAMP_WITH_TIMEZONE)));

    assertThat(changes.isEmpty()).isTrue();
  }
}
