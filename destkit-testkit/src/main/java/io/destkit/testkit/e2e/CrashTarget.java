package io.destkit.testkit.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.TestTarget;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * What {@link CrashRecoveryProcessSuite} needs of a destination: a config of the test's own
 * database or catalog, and a reader of the tables there. A {@link ProcessTarget} is one, reading
 * with SQL.
 *
 * @param <C> the destination's typed config
 */
public interface CrashTarget<C> extends TestTarget<C> {
  /**
   * A config for a database (or catalog) that belongs to the test of {@code directory} alone; the
   * same directory gives the same one. Streams without a namespace go to {@code defaultSchema}.
   */
  ObjectNode ownDatabaseConfig(Path directory, String defaultSchema);

  /**
   * The records per batch of the suite's small runs, drawn with the run's random: few, so that
   * STATEs flow mid-sync and kills land between them. A destination whose every batch is a costly
   * commit (a table format's metadata commit, which also gives the next attempt more to read)
   * draws larger ones, to keep the suite's time down.
   */
  default int smallRunBatchRecords(SplittableRandom random) {
    return 50 + random.nextInt(250);
  }

  /** Opens the tables the config points at, for the suite's reads; the suite closes them. */
  CrashTables openCrashTables(C config) throws Exception;
}
