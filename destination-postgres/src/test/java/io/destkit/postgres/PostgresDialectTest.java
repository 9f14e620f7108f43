package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ArrayType;
import io.destkit.core.typing.FieldType;
import io.destkit.core.typing.UnionType;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every statement the PostgreSQL dialect makes, as an exact string. */
class PostgresDialectTest {
  private static final TableName USERS = new TableName("public", "users");
  private static final List<ColumnDef> COLUMNS =
      List.of(
          new ColumnDef("id", "id", AirbyteType.INTEGER, true),
          new ColumnDef("Name", "name", AirbyteType.STRING, true));
  private static final String META_COLUMNS =
      "\"_airbyte_raw_id\" varchar NOT NULL, \"_airbyte_extracted_at\" timestamptz NOT NULL,"
          + " \"_airbyte_meta\" jsonb NOT NULL, \"_airbyte_generation_id\" bigint";

  private final PostgresDialect dialect = new PostgresDialect(false);
  private final PostgresDialect cascading = new PostgresDialect(true);

  @Test
  void createsATableWithTheMetaColumnsFirst() {
    assertThat(dialect.createTable(USERS, COLUMNS, false))
        .isEqualTo("CREATE TABLE IF NOT EXISTS \"public\".\"users\" (" + META_COLUMNS + ", \"id\" bigint, \"name\" varchar)");
  }

  @Test
  void replacesATableByDroppingItFirstForThereIsNoCreateOrReplaceTable() {
    assertThat(dialect.createTable(USERS, COLUMNS, true))
        .isEqualTo("DROP TABLE IF EXISTS \"public\".\"users\"; CREATE TABLE \"public\".\"users\" (" + META_COLUMNS
            + ", \"id\" bigint, \"name\" varchar)");
    assertThat(cascading.createTable(USERS, List.of(), true))
        .isEqualTo("DROP TABLE IF EXISTS \"public\".\"users\" CASCADE; CREATE TABLE \"public\".\"users\" (" + META_COLUMNS + ")");
  }

  @Test
  void dropsCascadeOnlyWhenDropCascadeIsSet() {
    assertThat(dialect.dropTable(USERS)).isEqualTo("DROP TABLE IF EXISTS \"public\".\"users\"");
    assertThat(cascading.dropTable(USERS)).isEqualTo("DROP TABLE IF EXISTS \"public\".\"users\" CASCADE");
  }

  /** The kit's contract: a namespace is dropped with its tables (drop_cascade is about objects depending on a table). */
  @Test
  void dropsANamespaceWithItsTablesWhateverDropCascade() {
    assertThat(dialect.dropNamespace("airbyte_internal")).isEqualTo("DROP SCHEMA IF EXISTS \"airbyte_internal\" CASCADE");
    assertThat(cascading.dropNamespace("airbyte_internal")).isEqualTo("DROP SCHEMA IF EXISTS \"airbyte_internal\" CASCADE");
  }

  @Test
  void findsAndCreatesSchemas() {
    assertThat(dialect.selectNamespace()).isEqualTo("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?");
    assertThat(dialect.createNamespace("airbyte_internal")).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"airbyte_internal\"");
  }

  @Test
  void copiesFromStdinInTextFormatNamingEveryColumn() {
    assertThat(dialect.copyFromStdin(USERS, List.of(MetaColumns.RAW_ID, "id", "we\"ird")))
        .isEqualTo("COPY \"public\".\"users\" (\"_airbyte_raw_id\", \"id\", \"we\"\"ird\") FROM STDIN (FORMAT text)");
  }

  @Test
  void keepsTheKitsStandardStatementsWherePostgresAgrees() {
    assertThat(dialect.countRows(USERS)).isEqualTo("SELECT COUNT(*) FROM \"public\".\"users\"");
    assertThat(dialect.selectGenerationId(USERS))
        .isEqualTo("SELECT \"_airbyte_generation_id\" FROM \"public\".\"users\" LIMIT 1");
    assertThat(dialect.addColumn(USERS, new ColumnDef("at", "at", AirbyteType.TIMESTAMP_WITH_TIMEZONE, true)))
        .isEqualTo("ALTER TABLE \"public\".\"users\" ADD COLUMN \"at\" timestamptz");
    assertThat(dialect.selectColumns())
        .isEqualTo("SELECT column_name, data_type FROM information_schema.columns"
            + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position");
  }

  @Test
  void changesAColumnsTypeWithASafeCastThroughItsText() {
    assertThat(dialect.alterColumnType(USERS, "age", "bigint"))
        .containsExactly(
            "CREATE OR REPLACE FUNCTION pg_temp.destkit_try_cast(value text, target anyelement) RETURNS anyelement"
                + " LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('SELECT %L::%s', value, pg_typeof(target)) INTO target;"
                + " RETURN target; EXCEPTION WHEN others THEN RETURN NULL; END $$",
            "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"age\" TYPE bigint"
                + " USING pg_temp.destkit_try_cast(\"age\"::text, NULL::bigint)");
  }

  @Test
  void changesAColumnsTypeWithPgInputIsValidFromVersion16() {
    assertThat(new PostgresDialect(false, 16).alterColumnType(USERS, "age", "bigint"))
        .containsExactly("ALTER TABLE \"public\".\"users\" ALTER COLUMN \"age\" TYPE bigint USING CASE WHEN"
            + " pg_input_is_valid(\"age\"::text, 'bigint') THEN \"age\"::text::bigint END");
    assertThat(new PostgresDialect(false, 18).alterColumnType(new TableName("s", "t"), "we\"ird", "timestamptz"))
        .containsExactly("ALTER TABLE \"s\".\"t\" ALTER COLUMN \"we\"\"ird\" TYPE timestamptz USING CASE WHEN"
            + " pg_input_is_valid(\"we\"\"ird\"::text, 'timestamptz') THEN \"we\"\"ird\"::text::timestamptz END");
    assertThat(new PostgresDialect(false, 15).alterColumnType(USERS, "age", "bigint"))
        .isEqualTo(dialect.alterColumnType(USERS, "age", "bigint"));
  }

  @Test
  void informationSchemaTypeNamesCompareEqualToTheDdlNames() {
    for (AirbyteType type : List.of(AirbyteType.STRING, AirbyteType.BOOLEAN, AirbyteType.INTEGER, AirbyteType.NUMBER,
        AirbyteType.DATE, AirbyteType.TIME_WITHOUT_TIMEZONE, AirbyteType.TIME_WITH_TIMEZONE,
        AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, AirbyteType.TIMESTAMP_WITH_TIMEZONE, AirbyteType.UNKNOWN)) {
      String reported = switch (dialect.columnType(type)) {
        case "varchar" -> "character varying";
        case "timestamptz" -> "timestamp with time zone";
        case "timestamp" -> "timestamp without time zone";
        case "timetz" -> "time with time zone";
        case "time" -> "time without time zone";
        default -> dialect.columnType(type);
      };
      assertThat(dialect.normalizeType(reported)).as(reported).isEqualTo(dialect.normalizeType(dialect.columnType(type)));
    }
    assertThat(dialect.normalizeType("text")).isEqualTo(dialect.normalizeType("varchar"));
    assertThat(dialect.normalizeType("numeric(38, 9)")).isEqualTo("numeric");
    assertThat(dialect.normalizeType("integer")).isNotEqualTo(dialect.normalizeType("bigint"));
    assertThat(dialect.normalizeType("json")).isNotEqualTo(dialect.normalizeType("jsonb"));
  }

  @Test
  void overwritingMovesTheTempTableFromTheRawSchemaAndRenamesIt() {
    TableName temp = new TableName("airbyte_internal", "public_users_airbyte_tmp");
    assertThat(dialect.overwriteTable(temp, USERS))
        .containsExactly(
            "DROP TABLE IF EXISTS \"public\".\"users\"",
            "ALTER TABLE \"airbyte_internal\".\"public_users_airbyte_tmp\" SET SCHEMA \"public\"",
            "ALTER TABLE \"public\".\"public_users_airbyte_tmp\" RENAME TO \"users\"");
    assertThat(cascading.overwriteTable(new TableName("public", "users_tmp"), USERS))
        .containsExactly(
            "DROP TABLE IF EXISTS \"public\".\"users\" CASCADE",
            "ALTER TABLE \"public\".\"users_tmp\" RENAME TO \"users\"");
  }

  @Test
  void quotesIdentifiersDoublingEmbeddedQuotes() {
    assertThat(dialect.qualified(new TableName("my \"schema\"", "t"))).isEqualTo("\"my \"\"schema\"\"\".\"t\"");
  }

  @Test
  void mapsEveryAirbyteTypeToAPostgresType() {
    LinkedHashMap<String, FieldType> properties = new LinkedHashMap<>();
    properties.put("a", new FieldType(AirbyteType.INTEGER, true));
    assertThat(dialect.columnType(AirbyteType.STRING)).isEqualTo("varchar");
    assertThat(dialect.columnType(AirbyteType.BOOLEAN)).isEqualTo("boolean");
    assertThat(dialect.columnType(AirbyteType.INTEGER)).isEqualTo("bigint");
    assertThat(dialect.columnType(AirbyteType.NUMBER)).isEqualTo("numeric");
    assertThat(dialect.columnType(AirbyteType.DATE)).isEqualTo("date");
    assertThat(dialect.columnType(AirbyteType.TIME_WITHOUT_TIMEZONE)).isEqualTo("time");
    assertThat(dialect.columnType(AirbyteType.TIME_WITH_TIMEZONE)).isEqualTo("timetz");
    assertThat(dialect.columnType(AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE)).isEqualTo("timestamp");
    assertThat(dialect.columnType(AirbyteType.TIMESTAMP_WITH_TIMEZONE)).isEqualTo("timestamptz");
    assertThat(dialect.columnType(new io.destkit.core.typing.ObjectType(properties))).isEqualTo("jsonb");
    assertThat(dialect.columnType(AirbyteType.OBJECT_WITH_EMPTY_SCHEMA)).isEqualTo("jsonb");
    assertThat(dialect.columnType(AirbyteType.OBJECT_WITHOUT_SCHEMA)).isEqualTo("jsonb");
    assertThat(dialect.columnType(new ArrayType(new FieldType(AirbyteType.STRING, true)))).isEqualTo("jsonb");
    assertThat(dialect.columnType(AirbyteType.ARRAY_WITHOUT_SCHEMA)).isEqualTo("jsonb");
    assertThat(dialect.columnType(new UnionType(List.of(AirbyteType.STRING, AirbyteType.INTEGER)))).isEqualTo("jsonb");
    assertThat(dialect.columnType(AirbyteType.UNKNOWN)).isEqualTo("jsonb");
  }
}
