package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.sql.ColumnInfo;
import io.destkit.sql.SchemaChanges;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements that evolve a table on PostgreSQL, as exact strings, for servers before and from 16. */
class PostgresSchemaChangesTest {
  private static final TableName USERS = new TableName("public", "users");
  /** As information_schema reports them. */
  private static final List<ColumnInfo> ACTUAL = List.of(
      new ColumnInfo(MetaColumns.RAW_ID, "character varying", false),
      new ColumnInfo(MetaColumns.EXTRACTED_AT, "timestamp with time zone", false),
      new ColumnInfo(MetaColumns.GENERATION_ID, "bigint", true),
      new ColumnInfo("id", "bigint", true),
      new ColumnInfo("old", "text", true),
      new ColumnInfo("age", "character varying", false),
      new ColumnInfo("data", "character varying", true),
      new ColumnInfo("at", "timestamp without time zone", true));
  private static final List<ColumnDef> WANTED = List.of(
      new ColumnDef("id", "id", AirbyteType.INTEGER, true),
      new ColumnDef("age", "age", AirbyteType.INTEGER, true),
      new ColumnDef("data", "data", AirbyteType.UNKNOWN, true),
      new ColumnDef("at", "at", AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, true),
      new ColumnDef("added", "added", AirbyteType.NUMBER, true));

  @Test
  void fromVersion16ATypeChangeCastsWithPgInputIsValid() {
    PostgresDialect dialect = new PostgresDialect(false, 16);
    SchemaChanges changes = SchemaChanges.between(dialect, USERS, ACTUAL, WANTED);

    assertThat(changes.statements()).containsExactly(
        "ALTER TABLE \"public\".\"users\" ADD COLUMN \"_airbyte_meta\" jsonb",
        "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"age\" TYPE bigint USING CASE WHEN"
            + " pg_input_is_valid(\"age\"::text, 'bigint') THEN \"age\"::text::bigint END",
        "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"age\" DROP NOT NULL",
        "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"data\" SET DATA TYPE jsonb USING CAST(to_json(\"data\") AS jsonb)",
        "ALTER TABLE \"public\".\"users\" ADD COLUMN \"added\" numeric");
    assertThat(changes.retyped()).containsExactly(new SchemaChanges.Retype("age", "character varying", "bigint"));
    assertThat(changes.removedColumns()).containsExactly("old");
    assertThat(changes.dropStatements(dialect, USERS))
        .containsExactly("ALTER TABLE \"public\".\"users\" DROP COLUMN \"old\"");
  }

  @Test
  void beforeVersion16ATypeChangeCastsThroughTheSessionFunction() {
    SchemaChanges changes = SchemaChanges.between(new PostgresDialect(false, 15), USERS, ACTUAL, WANTED);

    assertThat(changes.statements()).containsExactly(
        "ALTER TABLE \"public\".\"users\" ADD COLUMN \"_airbyte_meta\" jsonb",
        PostgresDialect.TRY_CAST_FUNCTION,
        "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"age\" TYPE bigint"
            + " USING pg_temp.destkit_try_cast(\"age\"::text, NULL::bigint)",
        "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"age\" DROP NOT NULL",
        "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"data\" SET DATA TYPE jsonb USING CAST(to_json(\"data\") AS jsonb)",
        "ALTER TABLE \"public\".\"users\" ADD COLUMN \"added\" numeric");
  }

  @Test
  void overwritesWithinOneSchemaByDroppingAndRenaming() {
    assertThat(new PostgresDialect(false, 16).overwriteTable(new TableName("public", "users_tmp"), USERS))
        .containsExactly(
            "DROP TABLE IF EXISTS \"public\".\"users\"",
            "ALTER TABLE \"public\".\"users_tmp\" RENAME TO \"users\"");
  }
}
