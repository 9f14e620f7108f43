package io.destkit.testkit;

import io.destkit.core.catalog.TableName;

/**
 * A destination whose tables live in a SQL database that the kit's table operations reach: the
 * suites about SQL itself (table operations, wiring, write initialisation, connection faults,
 * retries) and the cases that change a table with SQL by hand need it.
 *
 * @param <C> the destination's typed config
 */
public interface SqlTestTarget<C> extends TestTarget<C> {

  /** Opens the database the config points at, for suites that look into it; the suite closes it. */
  TestDatabase openDatabase(C config) throws Exception;

  /** The database, read with plain SQL. */
  @Override
  default TableReader openTables(C config) throws Exception {
    return openDatabase(config);
  }

  /** With an SQL {@code INSERT} of literals. */
  @Override
  default void appendByHand(C config, TableName table, TableRow row) throws Exception {
    try (TestDatabase database = openDatabase(config)) {
      database.insert(table, row);
    }
  }
}
