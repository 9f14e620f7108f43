package io.destkit.sql;

import io.destkit.core.catalog.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Finds the views bound to a table's columns, in a database where a column a view uses can be
 * neither retyped nor dropped while the view exists (PostgreSQL). The one part of a dialect that
 * reads the database, through the caller's connection, so that what it saves is what the caller's
 * transaction then drops and recreates.
 */
@FunctionalInterface
public interface DependentViews {
  /** A database that binds views by name when they are queried (DuckDB): no view stands in the way. */
  DependentViews NONE = (connection, table, columns) -> List.of();

  /**
   * The views that use any of these columns of the table, directly or through other views, in an
   * order they can be created in (each after the views it reads); empty when none does.
   */
  List<DependentView> using(Connection connection, TableName table, Collection<String> columns) throws SQLException;
}
