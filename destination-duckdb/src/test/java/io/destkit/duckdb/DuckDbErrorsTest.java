package io.destkit.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB's transaction conflicts, as a real database reports them, are transient; other errors are not. */
class DuckDbErrorsTest {
  @TempDir Path directory;

  private final DuckDbErrors errors = new DuckDbErrors();

  @Test
  void twoTransactionsDeletingTheSameRowConflictTransiently() throws Exception {
    try (DuckDbDatabase database = DuckDbDatabase.open(directory.resolve("conflict.duckdb"));
        Connection first = database.open();
        Connection second = database.open()) {
      try (Statement statement = first.createStatement()) {
        statement.execute("CREATE TABLE t (id BIGINT)");
        statement.execute("INSERT INTO t VALUES (1)");
      }
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      try (Statement one = first.createStatement(); Statement two = second.createStatement()) {
        one.execute("DELETE FROM t WHERE id = 1");
        SQLException conflict = catchThrowableOfType(SQLException.class, () -> two.execute("DELETE FROM t WHERE id = 1"));

        assertThat((Throwable) conflict).as("the second delete's failure").isNotNull();
        assertThat(errors.isTransient(new RuntimeException("Finalising stream 'users' failed", conflict))).isTrue();
      }
    }
  }

  @Test
  void aMissingTableIsNotTransient() throws Exception {
    try (DuckDbDatabase database = DuckDbDatabase.open(directory.resolve("missing.duckdb"));
        Connection connection = database.open();
        Statement statement = connection.createStatement()) {
      SQLException missing = catchThrowableOfType(SQLException.class, () -> statement.execute("SELECT * FROM missing"));

      assertThat(errors.isTransient(missing)).isFalse();
      assertThat(errors.configError(missing)).isEmpty();
    }
  }
}
