package io.destkit.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.sql.UpsertSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DuckDB's upsert, as exact strings: the kit's, but with the winners' rows read back by raw id. */
class DuckDbUpsertSqlTest {
  private final DuckDbDialect dialect = new DuckDbDialect();
  private final UpsertSpec upsert =
      new UpsertSpec(new TableName("main", "users_tmp"), new TableName("main", "users"),
          List.of("_airbyte_raw_id", "_airbyte_extracted_at", "id", "name"), List.of("id"),
          Map.of("id", AirbyteType.INTEGER), Optional.empty(), Optional.empty(), true);

  private static final String RANKED =
      "SELECT \"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\" FROM (SELECT \"_airbyte_raw_id\","
          + " \"_airbyte_extracted_at\", \"id\", ROW_NUMBER() OVER (PARTITION BY \"id\" ORDER BY \"_airbyte_extracted_at\" DESC,"
          + " \"_airbyte_raw_id\" DESC) AS \"_airbyte_row_number\" FROM \"main\".\"users_tmp\") AS ranked"
          + " WHERE \"_airbyte_row_number\" = 1";

  @Test
  void theWinnersAreRankedOnWhatTheUpsertComparesAndTheirRowsReadBackByRawId() {
    assertThat(dialect.newestRows(upsert))
        .isEqualTo("SELECT s.\"_airbyte_raw_id\", s.\"_airbyte_extracted_at\", s.\"id\", s.\"name\" FROM \"main\".\"users_tmp\" AS s"
            + " JOIN (" + RANKED + ") AS newest ON s.\"_airbyte_raw_id\" = newest.\"_airbyte_raw_id\"");
  }

  /** DuckDB hash-joins IS NOT DISTINCT FROM: the kit's standard key match, and no key index. */
  @Test
  void keysMatchWithIsNotDistinctFromAndGetNoIndex() {
    String match = "t.\"id\" IS NOT DISTINCT FROM w.\"id\"";
    assertThat(dialect.upsert(upsert))
        .containsExactly(
            "DELETE FROM \"main\".\"users\" AS t USING (" + RANKED + ") AS w WHERE " + match
                + " AND (w.\"_airbyte_extracted_at\" >= t.\"_airbyte_extracted_at\")",
            "INSERT INTO \"main\".\"users\" (\"_airbyte_raw_id\", \"_airbyte_extracted_at\", \"id\", \"name\") SELECT"
                + " w.\"_airbyte_raw_id\", w.\"_airbyte_extracted_at\", w.\"id\", w.\"name\" FROM (" + dialect.newestRows(upsert)
                + ") AS w WHERE NOT EXISTS (SELECT 1 FROM \"main\".\"users\" AS t WHERE " + match + ")");
    assertThat(dialect.createKeyIndex(upsert)).isEmpty();
  }
}
