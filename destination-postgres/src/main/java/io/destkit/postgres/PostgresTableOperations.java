package io.destkit.postgres;

import io.destkit.core.write.SyncLog;
import io.destkit.sql.TableOperations;
import java.sql.SQLException;

/** The kit's table operations, with PostgreSQL's refusals the user can fix (a missing privilege) as config errors. */
final class PostgresTableOperations extends TableOperations {
  private final PostgresErrors errors;

  PostgresTableOperations(
      PostgresDatabase database, PostgresDialect dialect, PostgresErrors errors, SyncLog log, boolean dropRemovedColumns) {
    super(database, dialect, log, dropRemovedColumns);
    this.errors = errors;
  }

  PostgresTableOperations(PostgresDatabase database, PostgresDialect dialect, PostgresErrors errors) {
    this(database, dialect, errors, SyncLog.NONE, false);
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
