package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.testkit.e2e.DeliveryCheck.Tally;
import io.destkit.testkit.e2e.SyncPlan.StateMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import io.destkit.testkit.DestinationSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exactly-once delivery across {@code kill -9}. Each run fills the tables with a first sync, then
 * runs a second sync as a platform does after crashes: attempts with the same sync id and
 * generations, the destination killed at random points while it writes (small batches, so states
 * flow mid-sync), each next attempt resuming the source ({@link ResumableSource}) from the last
 * states the destination emitted, until an attempt succeeds. The five streams of {@link
 * CrashStream#standard()} (append, append-truncate over generation 1, dedupe, dedupe-truncate over
 * generation 1, and an append stream that sends no state) are checked against what the source sent
 * ({@link DeliveryCheck}): no record lost, none duplicated, rows of the first sync untouched, and
 * after every kill each table being replaced still holds its old generation whole unless the new
 * one has replaced it. Only behaviour is looked at: the destination's own bookkeeping (the kit's
 * checkpoint table) is left out of every check ({@link CrashTables#tables()}), and read only to tell
 * the copies the guarantee's one window explains. The tables are read through the target's {@link
 * CrashTables}: with SQL for a {@link ProcessTarget}, with a table format's own reader otherwise.
 * Each run prints its figures ({@code [crash]} lines).
 *
 * <p>With the system property {@code destkit.crash.records} (the total records of the killed syncs),
 * {@link #fullSizeCrashSyncs} runs the same at full size ({@code benchmarks/crash}).
 */
public abstract class CrashRecoveryProcessSuite<C> extends DestinationSuite<C> {
  private static final String SCHEMA = "crash";
  private static final List<CrashStream> STREAMS = CrashRun.STREAMS;
  private static final long RECORDS_PER_STREAM = 1_500;
  private static final Duration SMALL_TIMEOUT = Duration.ofMinutes(3);
  /** The small runs' source pace: a whole attempt's input takes about two seconds, so kills land mid-sync. */
  private static final long SMALL_RECORDS_PER_SECOND = 4_000;

  private static final AtomicInteger SYNCS = new AtomicInteger();
  private static final AtomicInteger KILLS = new AtomicInteger();

  @ParameterizedTest(name = "seed {0}, {1} kills")
  @CsvSource({"11, 3", "23, 4"})
  void streamStateSyncsKilledAtRandomPointsEndWithEveryRecordExactlyOnce(long seed, int kills) {
    CrashRun run = smallRun(seed, StateMode.STREAM);
    run.fill(RECORDS_PER_STREAM / 2);
    run.sync(2, RECORDS_PER_STREAM, KillPoint.randomPlan(seed, kills, run.fillMillis), CrashRun.NO_CHECK);
    run.assertExactlyOnce();
  }

  @ParameterizedTest(name = "seed {0}, {1} kills")
  @CsvSource({"5, 3", "19, 2"})
  void globalStateSyncsKilledAtRandomPointsEndWithEveryRecordExactlyOnce(long seed, int kills) {
    CrashRun run = smallRun(seed, StateMode.GLOBAL);
    run.fill(RECORDS_PER_STREAM / 2);
    run.sync(2, RECORDS_PER_STREAM, KillPoint.randomPlan(seed, kills, run.fillMillis), CrashRun.NO_CHECK);
    run.assertExactlyOnce();
  }

  @Test
  void aKillBeforeAnyStateWasEmittedLosesAndDuplicatesNothing() {
    CrashRun run = smallRun(41, StateMode.STREAM);
    run.fill(RECORDS_PER_STREAM / 2);
    SyncPlan second = run.plan(2, RECORDS_PER_STREAM);
    // The source stops just before its first STATE and waits (longer than the whole first sync took),
    // so the destination commits what it has.
    long beforeFirstState = new ResumableSource(second).recordsBeforeFirstState(ResumePosition.START);
    long hold = run.fillMillis + 2_000;
    long directRows = run.count("events") + run.count("audit_log");
    run.sync(2, RECORDS_PER_STREAM,
        List.of(new KillPoint.AfterRecords(beforeFirstState, hold, true), new KillPoint.AfterShare(0.5, 0)),
        (attempt, outcome) -> {
          if (attempt == 1) {
            assertThat(outcome.states()).as(run.label + ": states emitted before the first one was sent").isEmpty();
            System.out.printf("[crash] %s: attempt 1 was killed before any STATE, with %d rows of it in the append tables%n",
                run.label, run.count("events") + run.count("audit_log") - directRows);
          }
        });
    run.assertExactlyOnce();
  }

  @Test
  void killsRightAfterTheInputEndedDuringTheFinalisationLoseAndDuplicateNothing() {
    CrashRun run = smallRun(43, StateMode.STREAM);
    run.fill(RECORDS_PER_STREAM / 2);
    // The first sync's time from the end of its input to its exit: what the kills are spread over.
    long end = Math.max(run.fillEndMillis, 30);
    CrashSync.Result result = run.sync(2, RECORDS_PER_STREAM,
        List.of(new KillPoint.AfterInputEnd(0), new KillPoint.AfterInputEnd(end / 3), new KillPoint.AfterInputEnd(end * 2 / 3)),
        CrashRun.NO_CHECK);
    assertThat(result.kills()).as(run.label + ": kills that landed after the input ended " + result.killNotes()).isPositive();
    run.assertExactlyOnce();
  }

  @Test
  void aSecondSyncAfterACrashedThenCompletedSyncAppendsItsRecordsExactlyOnce() {
    CrashRun run = smallRun(47, StateMode.STREAM);
    run.fill(RECORDS_PER_STREAM / 2);
    run.sync(2, RECORDS_PER_STREAM, List.of(new KillPoint.AfterStates(1), new KillPoint.AfterShare(0.6, 0)), CrashRun.NO_CHECK);
    run.assertExactlyOnce();
    run.sync(3, RECORDS_PER_STREAM / 2, List.of(), CrashRun.NO_CHECK);
    run.assertExactlyOnce();
  }

  /**
   * The window the guarantee leaves, made certain (the platform loses the last STATE of {@code
   * events} it read, whose checkpoint the destination had recorded): its copies stay in the table,
   * and the next sync neither removes them nor adds a copy of its own.
   */
  @Test
  void aSyncAfterOneThatKeptRecordsOfTheCheckpointWindowAppendsItsRecordsExactlyOnce() {
    CrashRun run = smallRun(47, StateMode.STREAM);
    run.fill(RECORDS_PER_STREAM / 2);
    run.sync(2, RECORDS_PER_STREAM, List.of(new KillPoint.LosingTheLastStateOf("events", RECORDS_PER_STREAM)), CrashRun.NO_CHECK);
    CrashFigures second = run.assertExactlyOnce();
    assertThat(second.streams().get("events").windowCopies())
        .as(run.label + ": copies of events records in the checkpoint window after sync 2").isPositive();
    run.sync(3, RECORDS_PER_STREAM / 2, List.of(), CrashRun.NO_CHECK);
    run.assertExactlyOnce();
  }

  /**
   * The full-size run of {@code benchmarks/crash}: {@code destkit.crash.records} records in {@code
   * destkit.crash.syncs} killed syncs (default 4, STREAM and GLOBAL states in turn, each over a first
   * sync a tenth its size), {@code destkit.crash.kills} kills in all (default 20), batches of {@code
   * destkit.crash.batch.records} (default 10,000). Every sync is checked before any assertion fails.
   */
  @Test
  @EnabledIfSystemProperty(named = "destkit.crash.records", matches = "[0-9]+")
  void fullSizeCrashSyncs() {
    long records = Long.getLong("destkit.crash.records");
    int kills = Integer.getInteger("destkit.crash.kills", 20);
    int syncs = Integer.getInteger("destkit.crash.syncs", 4);
    int batch = Integer.getInteger("destkit.crash.batch.records", 10_000);
    long perStream = records / syncs / STREAMS.size();
    List<String> jvm = List.of("-Xmx1g", "-Ddestkit.batch.records=" + batch, "-Ddestkit.flush.seconds=1");
    long started = System.nanoTime();
    List<CrashFigures> all = new ArrayList<>();
    for (int i = 0; i < syncs; i++) {
      long seed = 1001 + i;
      StateMode mode = i % 2 == 0 ? StateMode.STREAM : StateMode.GLOBAL;
      CrashRun run = new CrashRun(crashTarget(), "crash_" + seed, seed, mode, jvm, Duration.ofMinutes(20), 0, false);
      run.sync(1, perStream / 10, List.of(), CrashRun.NO_CHECK);
      int syncKills = kills / syncs + (i < kills % syncs ? 1 : 0);
      run.sync(2, perStream, KillPoint.randomPlan(seed, syncKills, run.fillMillis * 10), CrashRun.NO_CHECK);
      CrashFigures figures = run.verify();
      if (!figures.total().exact()) {
        run.keepFiles();
      }
      all.add(figures);
    }
    Tally total = all.stream().map(CrashFigures::total).reduce(Tally.none(), Tally::plus);
    // One line of key=value figures, which benchmarks/crash reads.
    System.out.printf(Locale.ROOT,
        "[crash] TOTAL %s: syncs=%d survived=%d attempts=%d kills=%d records=%d resent=%d lost=%d duplicated=%d"
            + " window=%d unexpected=%d rewritten=%d seconds=%.1f%n",
        getClass().getSimpleName(), all.size(), all.stream().filter(f -> f.total().exact()).count(),
        all.stream().mapToInt(CrashFigures::attempts).sum(), all.stream().mapToInt(CrashFigures::kills).sum(),
        all.stream().mapToLong(CrashFigures::records).sum(), all.stream().mapToLong(CrashFigures::resent).sum(),
        total.lost(), total.duplicated(), total.windowCopies(), total.unexpected(), total.rewritten(),
        (System.nanoTime() - started) / 1e9);
    for (CrashFigures figures : all) {
      figures.assertExact();
    }
  }

  private CrashTables tables;
  private int files;

  @Override
  protected abstract CrashTarget<C> target();

  /** Where the test's files (configs, the attempts' output) and, for a file database, its data live. */
  protected Path workDir() {
    return tempDir;
  }

  /** A config file of the test's own database or catalog, with this default schema. */
  private Path config(String schema) {
    return ConnectorProcess.writeJson(workDir().resolve("config-" + files++ + ".json"),
        target().ownDatabaseConfig(workDir(), schema));
  }

  /** The test's tables, opened on first use after the last run. */
  private CrashTables tables() {
    if (tables == null) {
      C config = destination().bindConfig(target().ownDatabaseConfig(workDir(), SCHEMA));
      try {
        tables = target().openCrashTables(config);
      } catch (Exception e) {
        throw new IllegalStateException("Cannot open the test's tables", e);
      }
    }
    return tables;
  }

  @AfterEach
  void closeTheTables() {
    if (tables != null) {
      try (CrashTables closing = tables) {
        tables = null;
      } catch (Exception e) {
        throw new IllegalStateException("Cannot close the test's tables", e);
      }
    }
  }

  @AfterAll
  static void printTotals() {
    System.out.printf("[crash] %d syncs run (first syncs included), %d kills in all%n", SYNCS.get(), KILLS.get());
  }

  // ---------------------------------------------------------------------------------------------

  private CrashRun smallRun(long seed, StateMode mode) {
    int batch = target().smallRunBatchRecords(new SplittableRandom(seed));
    return new CrashRun(crashTarget(), SCHEMA, seed, mode,
        List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Ddestkit.batch.records=" + batch, "-Ddestkit.flush.seconds=1"),
        SMALL_TIMEOUT, SMALL_RECORDS_PER_SECOND, true);
  }

  /** This test's tables and files, as a {@link CrashRun} uses them. */
  private CrashRun.Target crashTarget() {
    return new CrashRun.Target() {
      @Override
      public String name() {
        return CrashRecoveryProcessSuite.this.getClass().getSimpleName();
      }

      @Override
      public Path workDir() {
        return CrashRecoveryProcessSuite.this.workDir();
      }

      @Override
      public Path config(String schema) {
        return CrashRecoveryProcessSuite.this.config(schema);
      }

      @Override
      public CrashTables tables() {
        return CrashRecoveryProcessSuite.this.tables();
      }

      @Override
      public void closeDatabase() {
        closeTheTables();
      }

      @Override
      public void count(CrashSync.Result sync) {
        SYNCS.incrementAndGet();
        KILLS.addAndGet(sync.kills());
      }
    };
  }
}
