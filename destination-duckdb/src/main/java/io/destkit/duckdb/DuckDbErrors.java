package io.destkit.duckdb;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.operation.ErrorClassifier;
import io.destkit.sql.SqlFailures;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * DuckDB's failures: none is one the user fixes through a database code (the config errors of a
 * path are thrown as such when the file is opened). A transaction conflict is transient: DuckDB
 * aborts the later of two transactions that change the same rows or the same catalog entry (it
 * reports no SQL state, only its {@code TransactionContext Error: ... conflict ...} message), and
 * the same work run again after the other committed succeeds. Appends to one table from several
 * connections do not conflict.
 */
final class DuckDbErrors implements ErrorClassifier {

  @Override
  public Optional<ConfigErrorException> configError(Throwable failure) {
    return Optional.empty();
  }

  @Override
  public boolean isTransient(Throwable failure) {
    for (SQLException sql : SqlFailures.of(failure)) {
      String message = sql.getMessage() == null ? "" : sql.getMessage();
      if (message.contains("TransactionContext Error") && message.toLowerCase(Locale.ROOT).contains("conflict")) {
        return true;
      }
    }
    return false;
  }
}
