package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ArrayType;
import io.destkit.core.typing.FieldType;
import io.destkit.core.typing.UnionType;
import io.destkit.sql.UpsertSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    assertThat(dialect.describeColumns(USERS))
        .isEqualTo("SELECT column_name, data_type, is_nullable FROM information_schema.columns"
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
  private static final UpsertSpec UPSERT =
      new UpsertSpec(
          new TableName("airbyte_internal", "public_users_airbyte_tmp"), USERS,
          List.of("_airbyte_raw_id", "_airbyte_extracted_at", "id", "org", "updated_at", "name"), List.of("id", "org"),
          Map.of("id", AirbyteType.INTEGER, "org", AirbyteType.STRING), Optional.of("updated_at"), Optional.empty(), true);

  /** The newest versions, ranked on what the upsert compares. */
  private static final String RANKED =
      "(SELECT \"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\", \"org\", \"updated_at\" FROM (SELECT"
          + " \"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\", \"org\", \"updated_at\", ROW_NUMBER() OVER"
          + " (PARTITION BY \"id\", \"org\" ORDER BY \"updated_at\" DESC NULLS LAST, \"_airbyte_extracted_at\" DESC,"
          + " \"_airbyte_raw_id\" DESC) AS \"_airbyte_row_number\" FROM \"airbyte_internal\".\"public_users_airbyte_tmp\")"
          + " AS ranked WHERE \"_airbyte_row_number\" = 1) AS w";

  /** Their whole rows. */
  private static final String WINNERS =
      "(SELECT \"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\", \"org\", \"updated_at\", \"name\" FROM (SELECT"
          + " \"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\", \"org\", \"updated_at\", \"name\", ROW_NUMBER() OVER"
          + " (PARTITION BY \"id\", \"org\" ORDER BY \"updated_at\" DESC NULLS LAST, \"_airbyte_extracted_at\" DESC,"
          + " \"_airbyte_raw_id\" DESC) AS \"_airbyte_row_number\" FROM \"airbyte_internal\".\"public_users_airbyte_tmp\")"
          + " AS ranked WHERE \"_airbyte_row_number\" = 1) AS w";

  private static final String KEY_MATCH =
      "COALESCE(t.\"id\", CAST('0' AS bigint)) = COALESCE(w.\"id\", CAST('0' AS bigint)) AND (t.\"id\" IS NULL) = (w.\"id\" IS NULL)"
          + " AND COALESCE(t.\"org\", CAST('' AS varchar)) = COALESCE(w.\"org\", CAST('' AS varchar))"
          + " AND (t.\"org\" IS NULL) = (w.\"org\" IS NULL)";

  /** Plain equalities PostgreSQL can hash, merge or look up in the key index; IS NOT DISTINCT FROM it could only loop over. */
  @Test
  void upsertsJoiningKeysWithHashableEqualitiesThatKeepNullsApart() {
    assertThat(dialect.upsert(UPSERT))
        .containsExactly(
            "DELETE FROM \"public\".\"users\" AS t USING " + RANKED + " WHERE " + KEY_MATCH
                + " AND ((t.\"updated_at\" IS NULL AND w.\"updated_at\" IS NOT NULL) OR w.\"updated_at\" > t.\"updated_at\""
                + " OR ((w.\"updated_at\" = t.\"updated_at\" OR (w.\"updated_at\" IS NULL AND t.\"updated_at\" IS NULL))"
                + " AND w.\"_airbyte_extracted_at\" >= t.\"_airbyte_extracted_at\"))",
            "INSERT INTO \"public\".\"users\" (\"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\", \"org\", \"updated_at\", \"name\")"
                + " SELECT w.\"_airbyte_raw_id\", w.\"_airbyte_extracted_at\", w.\"id\", w.\"org\", w.\"updated_at\", w.\"name\""
                + " FROM " + WINNERS + " WHERE NOT EXISTS (SELECT 1 FROM \"public\".\"users\" AS t WHERE " + KEY_MATCH + ")");
  }

  @Test
  void theNullStandInOfAKeyPartIsAConstantOfItsColumnType() {
    Map<AirbyteType, String> standIns = new LinkedHashMap<>();
    standIns.put(AirbyteType.STRING, "CAST('' AS varchar)");
    standIns.put(AirbyteType.INTEGER, "CAST('0' AS bigint)");
    standIns.put(AirbyteType.NUMBER, "CAST('0' AS numeric)");
    standIns.put(AirbyteType.BOOLEAN, "CAST('false' AS boolean)");
    standIns.put(AirbyteType.DATE, "CAST('1970-01-01' AS date)");
    standIns.put(AirbyteType.TIMESTAMP_WITH_TIMEZONE, "CAST('1970-01-01 00:00:00+00' AS timestamptz)");
    standIns.put(AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, "CAST('1970-01-01 00:00:00' AS timestamp)");
    standIns.put(AirbyteType.TIME_WITH_TIMEZONE, "CAST('00:00:00+00' AS timetz)");
    standIns.put(AirbyteType.TIME_WITHOUT_TIMEZONE, "CAST('00:00:00' AS time)");
    standIns.put(AirbyteType.UNKNOWN, "CAST('null' AS jsonb)");
    standIns.forEach((type, standIn) -> {
      UpsertSpec spec = new UpsertSpec(UPSERT.source(), USERS, List.of("k"), List.of("k"), Map.of("k", type),
          Optional.empty(), Optional.empty(), true);
      assertThat(dialect.keyMatch(spec, "t", "w")).as(type.toString())
          .isEqualTo("COALESCE(t.\"k\", " + standIn + ") = COALESCE(w.\"k\", " + standIn + ") AND (t.\"k\" IS NULL) = (w.\"k\" IS NULL)");
    });
  }

  @Test
  void indexesTheFinalTableOnTheKeyExpressionsOfTheJoin() {
    assertThat(dialect.keyIndexName(UPSERT)).contains("users_dedupe_key_ded014a8");
    assertThat(dialect.createKeyIndex(UPSERT))
        .contains("CREATE INDEX IF NOT EXISTS \"users_dedupe_key_ded014a8\" ON \"public\".\"users\""
            + " ((COALESCE(\"id\", CAST('0' AS bigint))), (\"id\" IS NULL), (COALESCE(\"org\", CAST('' AS varchar))), (\"org\" IS NULL))");
    assertThat(dialect.selectKeyIndexes())
        .contains("SELECT indexname FROM pg_catalog.pg_indexes WHERE schemaname = ? AND tablename = ?"
            + " AND indexname LIKE '%\\_dedupe\\_key\\_________'");
    assertThat(dialect.dropIndex(USERS, "users_dedupe_key_ded014a8"))
        .isEqualTo("DROP INDEX IF EXISTS \"public\".\"users_dedupe_key_ded014a8\"");
  }

  @Test
  void theKeyIndexNameChangesWithTheKeyAndItsTypesAndFitsTheIdentifierLimit() {
    UpsertSpec stringId = new UpsertSpec(UPSERT.source(), USERS, UPSERT.columns(), UPSERT.primaryKey(),
        Map.of("id", AirbyteType.STRING, "org", AirbyteType.STRING), UPSERT.cursor(), Optional.empty(), true);
    UpsertSpec idOnly = new UpsertSpec(UPSERT.source(), USERS, UPSERT.columns(), List.of("id"),
        Map.of("id", AirbyteType.INTEGER), UPSERT.cursor(), Optional.empty(), true);
    assertThat(List.of(dialect.keyIndexName(UPSERT), dialect.keyIndexName(stringId), dialect.keyIndexName(idOnly)))
        .doesNotHaveDuplicates();

    String longName = "x".repeat(60) + "\u00e9";
    String name = dialect.keyIndexName(UPSERT.withTarget(new TableName("public", longName))).orElseThrow();
    assertThat(name).matches("x{43}_dedupe_key_[0-9a-f]{8}");
    String accented = dialect.keyIndexName(UPSERT.withTarget(new TableName("public", "x".repeat(42) + "\u00e9\u00e9"))).orElseThrow();
    assertThat(accented.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
    assertThat(accented).startsWith("x".repeat(42) + "_dedupe_key_");
  }

  @Test
  void analyzesATable() {
    assertThat(dialect.analyzeTable(USERS)).contains("ANALYZE \"public\".\"users\"");
  }

  @Test
  void tellsARefusalForWantOfPrivilegeFromOtherFailures() {
    assertThat(dialect.isInsufficientPrivilege(new java.sql.SQLException("must be owner of table users", "42501"))).isTrue();
    assertThat(dialect.isInsufficientPrivilege(new java.sql.SQLException("relation does not exist", "42P01"))).isFalse();
  }

  @Test
  void checksForRowsByReadingOneNotCountingThemAll() {
    assertThat(dialect.selectAnyRow(USERS)).isEqualTo("SELECT 1 FROM \"public\".\"users\" LIMIT 1");
  }

  @Test
  void deletesTheRowsOfABatchByTheRangeOfItsRawIdsComparedByteWise() {
    assertThat(dialect.deleteRawIdRange(USERS))
        .isEqualTo("DELETE FROM \"public\".\"users\" WHERE \"_airbyte_raw_id\" COLLATE \"C\" BETWEEN ? AND ?");
  }

  @Test
  void removesTheVersion7RowsAfterAMarkButForTheKeptRangesComparingTheTextByteByByte() {
    assertThat(dialect.deleteRowsAfter(USERS, 0, false)).isEqualTo(
        "DELETE FROM \"public\".\"users\" WHERE \"_airbyte_raw_id\" COLLATE \"C\" > ?"
            + " AND substr(\"_airbyte_raw_id\", 15, 1) = '7'");
    assertThat(dialect.deleteRowsAfter(USERS, 2, false)).isEqualTo(
        "DELETE FROM \"public\".\"users\" WHERE \"_airbyte_raw_id\" COLLATE \"C\" > ?"
            + " AND substr(\"_airbyte_raw_id\", 15, 1) = '7'"
            + " AND NOT (\"_airbyte_raw_id\" COLLATE \"C\" BETWEEN ? AND ?)"
            + " AND NOT (\"_airbyte_raw_id\" COLLATE \"C\" BETWEEN ? AND ?)");
    assertThat(dialect.deleteRowsAfter(USERS, 0, true)).isEqualTo(
        "DELETE FROM \"public\".\"users\" WHERE \"_airbyte_raw_id\" COLLATE \"C\" > ?"
            + " AND \"_airbyte_raw_id\" COLLATE \"C\" < ? AND substr(\"_airbyte_raw_id\", 15, 1) = '7'");
  }
}
