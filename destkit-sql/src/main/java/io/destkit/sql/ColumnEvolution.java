package io.destkit.sql;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.SyncLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a table's schema changes inside a transaction, around the views that use its columns: where
 * the database refuses to retype or drop a column a view uses ({@link SqlDialect#dependentViews}),
 * those views are dropped before the change and recreated after it, with their grants, owner and
 * comments, in the same transaction, so readers never miss them. A removed column that a view uses
 * is kept, unless drops cascade ({@link SqlDialect#dropsCascade}): then it goes, and the views with it.
 */
final class ColumnEvolution {
  private final SqlDialect dialect;
  private final SyncLog log;

  ColumnEvolution(SqlDialect dialect, SyncLog log) {
    this.dialect = dialect;
    this.log = log;
  }

  /**
   * The changes that keep what a later sync could want (adds, retypes with a safe cast, NOT NULL
   * dropped); removed columns stay. Returns, per retyped column, the values its cast nulled.
   */
  long[] keepingColumns(TableOperations.TransactionStatement transaction, TableName table, SchemaChanges changes)
      throws SQLException {
    List<String> retyped = retypedColumns(changes);
    long[] before = countNonNull(transaction, table, retyped);
    aroundViews(transaction, table, changes.typeChanged(), List.of(), typeChange(changes), () -> {
      for (String sql : changes.statements()) {
        transaction.run(sql);
      }
    });
    long[] after = countNonNull(transaction, table, retyped);
    for (int i = 0; i < before.length; i++) {
      before[i] -= after[i];
    }
    return before;
  }

  /**
   * Drops {@code removed}, but the columns a view uses when drops do not cascade, which are kept
   * (and reported). Returns the columns dropped.
   */
  List<String> dropping(TableOperations.TransactionStatement transaction, TableName table, List<String> removed)
      throws SQLException {
    List<String> dropped = droppable(transaction, table, removed);
    for (String column : dropped) {
      transaction.run(dialect.dropColumn(table, column));
    }
    return dropped;
  }

  /**
   * The table's columns made the stream's, for a refresh that replaces its rows (already deleted in
   * this transaction, so the casts touch no value): adds and retypes, and drops the columns the
   * stream does not have, but those a view uses when drops do not cascade.
   */
  void replacing(TableOperations.TransactionStatement transaction, TableName table, SchemaChanges changes)
      throws SQLException {
    List<String> dropped = droppable(transaction, table, changes.removedColumns());
    List<String> cascading = dialect.dropsCascade() ? dropped : List.of();
    aroundViews(transaction, table, changes.typeChanged(), cascading, typeChange(changes), () -> {
      for (String sql : changes.statements()) {
        transaction.run(sql);
      }
      for (String column : dropped) {
        transaction.run(dialect.dropColumn(table, column));
      }
    });
    if (!dropped.isEmpty()) {
      log.info("Table " + readable(table) + ": dropped columns " + String.join(", ", dropped)
          + ", which the stream no longer has, with the rows the refresh replaced.");
    }
  }

  private List<String> droppable(TableOperations.TransactionStatement transaction, TableName table, List<String> removed)
      throws SQLException {
    List<String> dropped = new ArrayList<>();
    for (String column : removed) {
      List<DependentView> users = dialect.dependentViews().using(transaction.connection(), table, List.of(column));
      if (users.isEmpty()) {
        dropped.add(column);
      } else if (dialect.dropsCascade()) {
        dropped.add(column);
        log.warn("Table " + readable(table) + ": dropping column " + column + ", which the stream no longer has,"
            + " drops with it (drop_cascade) the views that use it: " + names(users) + ".");
      } else {
        log.warn("Table " + readable(table) + ": kept column " + column + ", which the stream no longer has,"
            + " because views use it: " + names(users) + ". New rows hold NULL in it. Drop those views (or change"
            + " them not to use it) to have it dropped, or set drop_cascade to drop it with them.");
      }
    }
    return dropped;
  }

  @FunctionalInterface
  private interface Change {
    void run() throws SQLException;
  }

  /**
   * Runs {@code change}, which alters {@code altered} columns of the table, with the views that use
   * them dropped before and recreated after; views that the cascading drop of {@code cascading}
   * columns removes are not recreated.
   */
  private void aroundViews(
      TableOperations.TransactionStatement transaction, TableName table, Collection<String> altered,
      Collection<String> cascading, String what, Change change) throws SQLException {
    DependentViews views = dialect.dependentViews();
    List<DependentView> saved = altered.isEmpty() ? List.of() : views.using(transaction.connection(), table, altered);
    if (!saved.isEmpty() && !cascading.isEmpty()) {
      Set<String> gone = new HashSet<>();
      views.using(transaction.connection(), table, cascading).forEach(view -> gone.add(view.name()));
      saved = saved.stream().filter(view -> !gone.contains(view.name())).toList();
    }
    for (DependentView view : saved) {
      if (view.blocker().isPresent()) {
        throw new ConfigErrorException("Table " + readable(table) + ": " + what + " needs view " + view.name()
            + ", which uses the column, dropped and recreated around it (the database refuses the change while"
            + " the view exists), but " + view.blocker().get());
      }
    }
    for (int i = saved.size() - 1; i >= 0; i--) {
      transaction.run(saved.get(i).drop());
    }
    change.run();
    for (DependentView view : saved) {
      for (String sql : view.recreate()) {
        try {
          transaction.run(sql);
        } catch (SQLException e) {
          throw new ConfigErrorException("Table " + readable(table) + ": view " + view.name() + " cannot be"
              + " recreated after " + what + ": " + e.getMessage() + ". Change the view so that it works with the"
              + " column's new type (or drop it), then run the sync again; this sync changed nothing.", e);
        }
      }
    }
    if (!saved.isEmpty()) {
      log.info("Table " + readable(table) + ": recreated views " + names(saved) + " around " + what
          + ", with their owners, grants and comments.");
    }
  }

  private long[] countNonNull(TableOperations.TransactionStatement transaction, TableName table, List<String> columns)
      throws SQLException {
    long[] counts = new long[columns.size()];
    if (columns.isEmpty()) {
      return counts;
    }
    try (ResultSet rows = transaction.query(dialect.countNonNull(table, columns))) {
      rows.next();
      for (int i = 0; i < counts.length; i++) {
        counts[i] = rows.getLong(i + 1);
      }
    }
    return counts;
  }

  private static String typeChange(SchemaChanges changes) {
    return "the type change of column" + (changes.typeChanged().size() == 1 ? " " : "s ")
        + String.join(", ", changes.typeChanged());
  }

  private static List<String> retypedColumns(SchemaChanges changes) {
    return changes.retyped().stream().map(SchemaChanges.Retype::column).toList();
  }

  private static String names(List<DependentView> views) {
    return String.join(", ", views.stream().map(DependentView::name).toList());
  }

  static String readable(TableName table) {
    return table.namespace() + "." + table.name();
  }
}
