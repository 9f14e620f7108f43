package io.destkit.postgres;

import io.destkit.sql.TableOperations;
import java.sql.SQLException;

/** The kit's table operations, with PostgreSQL's refusals the user can fix (a missing privilege) as config errors. */
final class PostgresTableOperations extends TableOperations {
  private final PostgresErrors errors;

  PostgresTableOperations(PostgresDatabase database, PostgresDialect dialect, PostgresErrors errors) {
    super(database, dialect);
    this.errors = errors;
  }

  @Override
  public void execute(String sql) throws SQLException {
    try {
      super.execute(sql);
    } catch (SQLException e) {
      errors.throwIfConfigError(e);
      throw e;
    }
  }
}
