package io.destkit.testkit;

import static org.junit.jupiter.api.Assumptions.abort;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A suite that looks into the destination's tables: the target opens them, for a config, as a
 * {@link TableReader}; a case that works on a SQL database itself opens it as a {@link
 * TestDatabase}, which only a {@link SqlTestTarget} has.
 *
 * @param <C> the destination's typed config
 */
public abstract class DatabaseSuite<C> extends DestinationSuite<C> {

  /** Opens the tables the config points at; the suite closes them. */
  protected final TableReader openTables(C config) throws Exception {
    return target().openTables(config);
  }

  /**
   * Opens the SQL database the config points at; the suite closes it. A destination that is not a
   * SQL database skips the case.
   */
  protected final TestDatabase openDatabase(C config) throws Exception {
    return sqlTarget("works on its SQL database").openDatabase(config);
  }

  /**
   * The target as a SQL database, for a case that does this ({@code "creates a view on the final
   * table"}); a destination that is not a SQL database skips the case, saying so.
   */
  protected final SqlTestTarget<C> sqlTarget(String what) {
    if (target() instanceof SqlTestTarget<C> sql) {
      return sql;
    }
    return abort("This case " + what + " with SQL: " + destination().getClass().getSimpleName()
        + " does not keep its tables in a SQL database.");
  }

  /** Skips the case, with the target's reason, when the destination lacks the behaviour. */
  protected final void assumeBehavior(TestTarget.Behavior behavior) {
    target().lacks(behavior).ifPresent(reason -> abort("Needs " + behavior + ": " + reason));
  }

  /** A name no other test uses, so tests may share a database server. */
  protected static String uniqueName(String prefix) {
    return prefix + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }
}
