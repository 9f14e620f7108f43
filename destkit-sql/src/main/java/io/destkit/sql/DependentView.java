package io.destkit.sql;

import java.util.List;
import java.util.Optional;

/**
 * A view (or materialized view) that uses columns of a table, saved so that it can be dropped around
 * a change its database refuses while it exists (a column's type change or drop) and created again
 * as it was, in the same transaction.
 *
 * @param name the view's qualified name, as messages give it
 * @param drop the statement that drops the view alone (never cascading)
 * @param recreate the statements that create it again: its definition and options, then its owner,
 *     grants, comments and what else it had that the database can give back
 * @param blocker why the sync may not drop and recreate it (another role owns it) and what fixes
 *     that; empty when it may
 */
public record DependentView(String name, String drop, List<String> recreate, Optional<String> blocker) {
  public DependentView {
    recreate = List.copyOf(recreate);
  }
}
