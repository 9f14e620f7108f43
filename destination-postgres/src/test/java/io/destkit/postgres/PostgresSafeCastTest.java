package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.sql.TableOperations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A type change's safe cast on the real server in both of the dialect's forms: {@code
 * pg_input_is_valid} (servers from 16) and the per-row exception block (older servers, which the
 * embedded server runs as well). Both keep what the new type accepts, null the rest, and the
 * count of nulled values is reported.
 */
class PostgresSafeCastTest {
  private static final List<String> TEXTS = Arrays.asList("12", "-3", "twelve", "", "1.5", null);

  @TempDir Path tempDir;

  @Test
  void pgInputIsValidCastsWhatTheNewTypeAcceptsAndNullsTheRest() throws Exception {
    assertSafeCast(PostgresDialect.INPUT_VALIDATION_SINCE);
  }

  @Test
  void theFallbackForOlderServersCastsTheSameWay() throws Exception {
    assertSafeCast(PostgresDialect.INPUT_VALIDATION_SINCE - 1);
  }

  @Test
  void theEmbeddedServerIsOneThatHasPgInputIsValid() throws Exception {
    PostgresConfig config = PostgresConfig.from(PostgresTarget.INSTANCE.validConfig(tempDir));
    try (PostgresDatabase database = PostgresDatabase.open(config)) {
      assertThat(database.serverMajorVersion()).isGreaterThanOrEqualTo(PostgresDialect.INPUT_VALIDATION_SINCE);
    }
  }

  private void assertSafeCast(int serverVersion) throws Exception {
    PostgresConfig config = PostgresConfig.from(PostgresTarget.INSTANCE.validConfig(tempDir));
    TableName table = new TableName(config.schema(), "cast_" + serverVersion);
    List<String> logs = new ArrayList<>();
    List<String> values = new ArrayList<>();
    try (PostgresDatabase database = PostgresDatabase.open(config)) {
      PostgresDialect dialect = new PostgresDialect(false, serverVersion);
      TableOperations operations =
          new TableOperations(database, dialect, (level, message) -> logs.add(level + " " + message), false);
      operations.createNamespace(table.namespace());
      operations.createTable(table, List.of(new ColumnDef("value", "value", AirbyteType.STRING, true)), false);
      insert(database, dialect, table);

      operations.evolve(table, List.of(new ColumnDef("value", "value", AirbyteType.INTEGER, true)));

      try (Connection connection = database.open();
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(
              "SELECT " + dialect.quote("value") + " FROM " + dialect.qualified(table) + " ORDER BY "
                  + dialect.quote(MetaColumns.RAW_ID))) {
        while (rows.next()) {
          values.add(rows.getString(1));
        }
      }
    }

    assertThat(values).containsExactly("12", "-3", null, null, null, null);
    assertThat(logs).containsExactly("WARN Table " + table.namespace() + "." + table.name()
        + ": column value changed from type character varying to bigint; 3 values that could not be cast became NULL.");
  }

  private static void insert(PostgresDatabase database, PostgresDialect dialect, TableName table) throws SQLException {
    try (Connection connection = database.open();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO " + dialect.qualified(table) + " ("
            + dialect.columnList(List.of(MetaColumns.RAW_ID, MetaColumns.EXTRACTED_AT, MetaColumns.META, "value"), null)
            + ") VALUES (?, now(), '{}', ?)")) {
      for (int i = 0; i < TEXTS.size(); i++) {
        insert.setString(1, "row " + i);
        insert.setString(2, TEXTS.get(i));
        insert.executeUpdate();
      }
    }
  }
}
