package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.TableName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The statements that drop a view and create it again, as exact strings. */
class PostgresViewTest {
  private final PostgresDialect dialect = new PostgresDialect(false, 16);

  private static PostgresView view(boolean materialized, String owner, boolean mayDrop) {
    Map<String, String> columnComments = new LinkedHashMap<>();
    columnComments.put("we\"ird", "'the ''weird'' one'");
    return new PostgresView("public", "adults", materialized, " SELECT id,\n    age\n   FROM people;",
        List.of("check_option=local", "security_barrier=true"), true, owner, owner.equals("writer"), mayDrop, "writer",
        Optional.of("'Adults only'"), columnComments,
        List.of(new PostgresView.Grant(Optional.of("reader"), "SELECT", false),
            new PostgresView.Grant(Optional.empty(), "SELECT", false),
            new PostgresView.Grant(Optional.of("editor"), "UPDATE", true)),
        List.of("CREATE INDEX adults_id ON public.adults USING btree (id)"));
  }

  @Test
  void aViewIsCreatedWithItsOptionsCommentsAndStatementsThenItsOwnerThenItsGrants() {
    assertThat(view(false, "analyst", true).recreate(dialect)).containsExactly(
        "CREATE VIEW \"public\".\"adults\" WITH (check_option=local, security_barrier=true) AS SELECT id,\n    age\n   FROM people",
        "COMMENT ON VIEW \"public\".\"adults\" IS 'Adults only'",
        "COMMENT ON COLUMN \"public\".\"adults\".\"we\"\"ird\" IS 'the ''weird'' one'",
        "CREATE INDEX adults_id ON public.adults USING btree (id)",
        "ALTER VIEW \"public\".\"adults\" OWNER TO \"analyst\"",
        "GRANT SELECT ON \"public\".\"adults\" TO \"reader\"",
        "GRANT SELECT ON \"public\".\"adults\" TO PUBLIC",
        "GRANT UPDATE ON \"public\".\"adults\" TO \"editor\" WITH GRANT OPTION");
    assertThat(view(false, "analyst", true).drop(dialect)).isEqualTo("DROP VIEW \"public\".\"adults\"");
  }

  @Test
  void aMaterializedViewIsCreatedWithItsDataAndAViewOfTheConnectorsUserKeepsItsOwner() {
    List<String> statements = view(true, "writer", true).recreate(dialect);
    assertThat(statements.get(0)).isEqualTo("CREATE MATERIALIZED VIEW \"public\".\"adults\" WITH (check_option=local,"
        + " security_barrier=true) AS SELECT id,\n    age\n   FROM people WITH DATA");
    assertThat(statements).noneMatch(sql -> sql.contains("OWNER TO"));
    assertThat(view(true, "writer", true).drop(dialect)).isEqualTo("DROP MATERIALIZED VIEW \"public\".\"adults\"");
  }

  @Test
  void aViewTheUserMayNotDropSaysWhichGrantLetsIt() {
    assertThat(view(false, "analyst", false).blocker(dialect)).hasValue("role writer may not drop it: it belongs to"
        + " role analyst, which writer is not a member of. Grant that role to the connector's user (GRANT \"analyst\""
        + " TO \"writer\"), or drop the view and create it again after the sync.");
    assertThat(view(false, "analyst", true).blocker(dialect)).isEmpty();
  }

  @Test
  void withDropCascadeAColumnDropCascadesAndWithoutItDoesNot() {
    TableName users = new TableName("public", "users");
    assertThat(new PostgresDialect(true, 16).dropColumn(users, "age"))
        .isEqualTo("ALTER TABLE \"public\".\"users\" DROP COLUMN \"age\" CASCADE");
    assertThat(dialect.dropColumn(users, "age")).isEqualTo("ALTER TABLE \"public\".\"users\" DROP COLUMN \"age\"");
    assertThat(new PostgresDialect(true, 16).dropsCascade()).isTrue();
    assertThat(dialect.dropsCascade()).isFalse();
  }
}
