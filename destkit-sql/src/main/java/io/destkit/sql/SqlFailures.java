package io.destkit.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Collections;

/** The SQL errors inside a failure, for a destination's error classifier. */
public final class SqlFailures {
  private SqlFailures() {}

  /**
   * Every {@link SQLException} among the failure's causes and their {@code getNextException} chains
   * (where drivers put the server's error behind a batch failure), outermost first.
   */
  public static List<SQLException> of(Throwable failure) {
    List<SQLException> found = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof SQLException sql) {
        for (SQLException next = sql; next != null && (next == sql || seen.add(next)); next = next.getNextException()) {
          found.add(next);
        }
      }
    }
    return found;
  }
}
