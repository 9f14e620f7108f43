package io.destkit.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The kit's standard key match, existence check and key index (none), as exact strings. */
class StandardKeyMatchTest {
  /** Only what a dialect must give; everything else is the kit's standard SQL. */
  private static final SqlDialect STANDARD =
      new SqlDialect() {
        @Override
        public String columnType(AirbyteType type) {
          return "VARCHAR";
        }

        @Override
        public String metaColumnType(String metaColumn) {
          return "VARCHAR";
        }
      };

  private static final TableName USERS = new TableName("main", "users");
  private static final UpsertSpec UPSERT =
      new UpsertSpec(new TableName("main", "users_tmp"), USERS, List.of("_airbyte_raw_id", "id", "org"),
          List.of("id", "org"), Map.of("id", AirbyteType.INTEGER, "org", AirbyteType.STRING), Optional.empty(),
          Optional.empty(), true);

  @Test
  void keysCompareNullSafelyWithIsNotDistinctFrom() {
    assertThat(STANDARD.keyMatch(UPSERT, "t", "w"))
        .isEqualTo("t.\"id\" IS NOT DISTINCT FROM w.\"id\" AND t.\"org\" IS NOT DISTINCT FROM w.\"org\"");
  }

  @Test
  void theUpsertJoinsTheNewestIncomingVersionsOnTheKeyMatch() {
    String ranked = "(SELECT \"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\", \"org\" FROM (SELECT"
        + " \"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\", \"org\", ROW_NUMBER() OVER (PARTITION BY \"id\", \"org\""
        + " ORDER BY \"_airbyte_extracted_at\" DESC, \"_airbyte_raw_id\" DESC) AS \"_airbyte_row_number\""
        + " FROM \"main\".\"users_tmp\") AS ranked WHERE \"_airbyte_row_number\" = 1) AS w";
    String rows = "(SELECT \"_airbyte_raw_id\", \"id\", \"org\" FROM (SELECT \"_airbyte_raw_id\", \"id\", \"org\","
        + " ROW_NUMBER() OVER (PARTITION BY \"id\", \"org\" ORDER BY \"_airbyte_extracted_at\" DESC, \"_airbyte_raw_id\" DESC)"
        + " AS \"_airbyte_row_number\" FROM \"main\".\"users_tmp\") AS ranked WHERE \"_airbyte_row_number\" = 1) AS w";
    String match = "t.\"id\" IS NOT DISTINCT FROM w.\"id\" AND t.\"org\" IS NOT DISTINCT FROM w.\"org\"";
    assertThat(STANDARD.upsert(UPSERT))
        .containsExactly(
            "DELETE FROM \"main\".\"users\" AS t USING " + ranked + " WHERE " + match
                + " AND (w.\"_airbyte_extracted_at\" >= t.\"_airbyte_extracted_at\")",
            "INSERT INTO \"main\".\"users\" (\"_airbyte_raw_id\", \"id\", \"org\") SELECT w.\"_airbyte_raw_id\", w.\"id\", w.\"org\""
                + " FROM " + rows + " WHERE NOT EXISTS (SELECT 1 FROM \"main\".\"users\" AS t WHERE " + match + ")");
  }

  /** The newest versions are ranked on what the upsert compares, each column once (a cursor may be a key). */
  @Test
  void theNewestVersionsAreRankedOnTheirKeyCursorExtractionAndRawIdAlone() {
    UpsertSpec cursorInKey = new UpsertSpec(UPSERT.source(), USERS, List.of("_airbyte_raw_id", "id", "org", "other"),
        List.of("id"), Map.of("id", AirbyteType.INTEGER), Optional.of("id"), Optional.of("_ab_cdc_deleted_at"), true);
    assertThat(STANDARD.newestPerKey(cursorInKey))
        .isEqualTo("SELECT \"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\" FROM (SELECT \"_airbyte_raw_id\","
            + " \"_airbyte_extracted_at\", \"id\", ROW_NUMBER() OVER (PARTITION BY \"id\" ORDER BY \"id\" DESC NULLS LAST,"
            + " \"_airbyte_extracted_at\" DESC, \"_airbyte_raw_id\" DESC) AS \"_airbyte_row_number\" FROM \"main\".\"users_tmp\")"
            + " AS ranked WHERE \"_airbyte_row_number\" = 1");
    assertThat(STANDARD.upsert(cursorInKey).get(1)).endsWith(") AND w.\"_ab_cdc_deleted_at\" IS NULL");
  }

  @Test
  void aDatabaseThatHashJoinsTheKeyMatchGetsNoKeyIndex() {
    assertThat(STANDARD.keyIndexName(UPSERT)).isEmpty();
    assertThat(STANDARD.createKeyIndex(UPSERT)).isEmpty();
    assertThat(STANDARD.selectKeyIndexes()).isEmpty();
    assertThat(STANDARD.analyzeTable(USERS)).isEmpty();
  }

  @Test
  void checksForRowsByReadingOne() {
    assertThat(STANDARD.selectAnyRow(USERS)).isEqualTo("SELECT 1 FROM \"main\".\"users\" LIMIT 1");
  }

  @Test
  void everyKeyColumnNeedsItsType() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new UpsertSpec(USERS, USERS, List.of("id"), List.of("id"), Map.of(), Optional.empty(),
            Optional.empty(), true))
        .withMessageContaining("id");
  }
}
