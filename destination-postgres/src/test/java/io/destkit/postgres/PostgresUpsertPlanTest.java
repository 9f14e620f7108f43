package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.protocol.MessageCodec;
import io.destkit.sql.UpsertSpec;
import io.destkit.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plans PostgreSQL makes of the upsert's statements into a table that already holds rows: the
 * key match is hashed, merged or looked up in the key index, never a nested loop over the table
 * (which made a second sync of 20,000 records into 200,000 rows take minutes).
 */
class PostgresUpsertPlanTest {
  private static final String SCHEMA = "destkit_upsert_plan";
  private static final List<ColumnDef> COLUMNS =
      List.of(
          new ColumnDef("id", "id", AirbyteType.INTEGER, true),
          new ColumnDef("org", "org", AirbyteType.STRING, true),
          new ColumnDef("updated_at", "updated_at", AirbyteType.TIMESTAMP_WITH_TIMEZONE, true));

  private final PostgresDialect dialect = new PostgresDialect(false);
  private final TableName target = new TableName(SCHEMA, "users");
  private final TableName source = new TableName(SCHEMA, "users_tmp");
  private final UpsertSpec upsert =
      new UpsertSpec(source, target,
          Stream.concat(MetaColumns.ALL.stream(), COLUMNS.stream().map(ColumnDef::name)).toList(), List.of("id", "org"),
          Map.of("id", AirbyteType.INTEGER, "org", AirbyteType.STRING), Optional.of("updated_at"), Optional.empty(), true);
  private Connection connection;

  @BeforeEach
  void aTargetOf20000RowsAndASourceOf2000() throws Exception {
    connection = PostgresTarget.server().superuserConnection(PostgresServer.DEFAULT_DATABASE);
    execute(
        "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
        "CREATE SCHEMA " + SCHEMA,
        dialect.createTable(target, COLUMNS, false),
        dialect.createTable(source, COLUMNS, false),
        // Every 10th key has a NULL part, as a key with a nullable column would.
        "INSERT INTO " + dialect.qualified(target) + " SELECT gen_random_uuid()::text, now(), '{}', 1, g,"
            + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'org ' || (g % 7) END, now() FROM generate_series(1, 20000) g",
        "INSERT INTO " + dialect.qualified(source) + " SELECT gen_random_uuid()::text, now(), '{}', 1, g * 20,"
            + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'org ' || (g % 7) END, now() FROM generate_series(1, 2000) g",
        "ANALYZE " + dialect.qualified(target),
        "ANALYZE " + dialect.qualified(source));
  }

  @AfterEach
  void dropTheSchema() throws Exception {
    try (Connection closing = connection) {
      execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @Test
  void withoutAnIndexTheKeyMatchIsHashedOrMergedNeverLoopedOver() throws Exception {
    for (String statement : dialect.upsert(upsert)) {
      assertThat(nestedLoops(plan(statement))).as(statement).isEmpty();
    }
  }

  @Test
  void withTheKeyIndexANestedLoopOnlyLooksKeysUpInIt() throws Exception {
    execute(dialect.createKeyIndex(upsert).orElseThrow(), "ANALYZE " + dialect.qualified(target));
    String index = dialect.keyIndexName(upsert).orElseThrow();
    for (String statement : dialect.upsert(upsert)) {
      for (JsonNode loop : nestedLoops(plan(statement))) {
        JsonNode inner = loop.path("Plans").get(1);
        assertThat(inner.path("Index Name").asText()).as(statement + "\n" + loop.toPrettyString()).isEqualTo(index);
      }
    }
    // A few keys into the table: the planner does look them up in the index.
    execute("DELETE FROM " + dialect.qualified(source) + " WHERE id > 100");
    execute("ANALYZE " + dialect.qualified(source));
    String insert = dialect.upsert(upsert).get(1);
    assertThat(plan(insert).toString()).as(insert).contains("\"Index Name\":\"" + index + "\"");
  }

  private JsonNode plan(String statement) throws Exception {
    try (Statement explain = connection.createStatement();
        ResultSet rows = explain.executeQuery("EXPLAIN (FORMAT JSON) " + statement)) {
      rows.next();
      return MessageCodec.MAPPER.readTree(rows.getString(1)).get(0).get("Plan");
    }
  }

  private static List<JsonNode> nestedLoops(JsonNode plan) {
    List<JsonNode> loops = new ArrayList<>();
    if ("Nested Loop".equals(plan.path("Node Type").asText())) {
      loops.add(plan);
    }
    for (JsonNode child : plan.path("Plans")) {
      loops.addAll(nestedLoops(child));
    }
    return loops;
  }

  private void execute(String... statements) throws Exception {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
