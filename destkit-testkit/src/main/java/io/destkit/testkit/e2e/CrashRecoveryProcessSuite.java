package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.destkit.core.catalog.MetaColumns;
import io.destkit.testkit.e2e.ConnectorAttempt.Launch;
import io.destkit.testkit.e2e.ConnectorAttempt.Outcome;
import io.destkit.testkit.e2e.DeliveryCheck.StoredRow;
import io.destkit.testkit.e2e.DeliveryCheck.Tally;
import io.destkit.testkit.e2e.SyncPlan.StateMode;
import io.destkit.testkit.e2e.SyncPlan.StreamPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
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
 * one has replaced it. Only behaviour is looked at: the destination's own bookkeeping table ({@value
 * #CHECKPOINT_TABLE}) is left out of every check. Each run prints its figures ({@code [crash]} lines).
 *
 * <p>With the system property {@code destkit.crash.records} (the total records of the killed syncs),
 * {@link #fullSizeCrashSyncs} runs the same at full size ({@code benchmarks/crash}).
 */
public abstract class CrashRecoveryProcessSuite<C> extends ProcessSuite<C> {
  /** The destination's own bookkeeping table, in whatever schema: not a stream's table, and never read. */
  public static final String CHECKPOINT_TABLE = "_destkit_sync_checkpoints";

  private static final String SCHEMA = "crash";
  private static final List<CrashStream> STREAMS = CrashStream.standard();
  private static final long RECORDS_PER_STREAM = 1_500;
  private static final Duration SMALL_TIMEOUT = Duration.ofMinutes(3);
  /** The small runs' source pace: a whole attempt's input takes about two seconds, so kills land mid-sync. */
  private static final long SMALL_RECORDS_PER_SECOND = 4_000;

  private static final AtomicInteger SYNCS = new AtomicInteger();
  private static final AtomicInteger KILLS = new AtomicInteger();

  @ParameterizedTest(name = "seed {0}, {1} kills")
  @CsvSource({"11, 3", "23, 2", "37, 4"})
  void streamStateSyncsKilledAtRandomPointsEndWithEveryRecordExactlyOnce(long seed, int kills) {
    Run run = smallRun(seed, StateMode.STREAM);
    run.fill();
    run.sync(2, RECORDS_PER_STREAM, KillPoint.randomPlan(seed, kills, run.fillMillis), Run.NO_CHECK);
    run.assertExactlyOnce();
  }

  @ParameterizedTest(name = "seed {0}, {1} kills")
  @CsvSource({"5, 3", "19, 2"})
  void globalStateSyncsKilledAtRandomPointsEndWithEveryRecordExactlyOnce(long seed, int kills) {
    Run run = smallRun(seed, StateMode.GLOBAL);
    run.fill();
    run.sync(2, RECORDS_PER_STREAM, KillPoint.randomPlan(seed, kills, run.fillMillis), Run.NO_CHECK);
    run.assertExactlyOnce();
  }

  @Test
  void aKillBeforeAnyStateWasEmittedLosesAndDuplicatesNothing() {
    Run run = smallRun(41, StateMode.STREAM);
    run.fill();
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
    Run run = smallRun(43, StateMode.STREAM);
    run.fill();
    // The first sync's time from the end of its input to its exit: what the kills are spread over.
    long end = Math.max(run.fillEndMillis, 30);
    CrashSync.Result result = run.sync(2, RECORDS_PER_STREAM,
        List.of(new KillPoint.AfterInputEnd(0), new KillPoint.AfterInputEnd(end / 3), new KillPoint.AfterInputEnd(end * 2 / 3)),
        Run.NO_CHECK);
    assertThat(result.kills()).as(run.label + ": kills that landed after the input ended " + result.killNotes()).isPositive();
    run.assertExactlyOnce();
  }

  @Test
  void aSecondSyncAfterACrashedThenCompletedSyncAppendsItsRecordsExactlyOnce() {
    Run run = smallRun(47, StateMode.STREAM);
    run.fill();
    run.sync(2, RECORDS_PER_STREAM, List.of(new KillPoint.AfterStates(1), new KillPoint.AfterShare(0.6, 0)), Run.NO_CHECK);
    run.assertExactlyOnce();
    run.sync(3, RECORDS_PER_STREAM / 2, List.of(), Run.NO_CHECK);
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
    List<Figures> all = new ArrayList<>();
    for (int i = 0; i < syncs; i++) {
      long seed = 1001 + i;
      Run run = new Run("crash_" + seed, seed, i % 2 == 0 ? StateMode.STREAM : StateMode.GLOBAL, jvm, Duration.ofMinutes(20), 0, false);
      run.sync(1, perStream / 10, List.of(), Run.NO_CHECK);
      int syncKills = kills / syncs + (i < kills % syncs ? 1 : 0);
      run.sync(2, perStream, KillPoint.randomPlan(seed, syncKills, run.fillMillis * 10), Run.NO_CHECK);
      all.add(run.verify());
    }
    Tally total = all.stream().map(Figures::total).reduce(Tally.none(), Tally::plus);
    // One line of key=value figures, which benchmarks/crash reads.
    System.out.printf(Locale.ROOT,
        "[crash] TOTAL %s: syncs=%d survived=%d attempts=%d kills=%d records=%d resent=%d lost=%d duplicated=%d"
            + " unexpected=%d rewritten=%d seconds=%.1f%n",
        getClass().getSimpleName(), all.size(), all.stream().filter(f -> f.total().exact()).count(),
        all.stream().mapToInt(Figures::attempts).sum(), all.stream().mapToInt(Figures::kills).sum(),
        all.stream().mapToLong(Figures::records).sum(), all.stream().mapToLong(Figures::resent).sum(),
        total.lost(), total.duplicated(), total.unexpected(), total.rewritten(), (System.nanoTime() - started) / 1e9);
    for (Figures figures : all) {
      figures.assertExact();
    }
  }

  @AfterAll
  static void printTotals() {
    System.out.printf("[crash] %d syncs run (first syncs included), %d kills in all%n", SYNCS.get(), KILLS.get());
  }

  // ---------------------------------------------------------------------------------------------

  private Run smallRun(long seed, StateMode mode) {
    int batch = 50 + new SplittableRandom(seed).nextInt(250);
    return new Run(SCHEMA, seed, mode,
        List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Ddestkit.batch.records=" + batch, "-Ddestkit.flush.seconds=1"),
        SMALL_TIMEOUT, SMALL_RECORDS_PER_SECOND, true);
  }

  /**
   * A run's figures.
   *
   * @param records the records of the sync
   * @param resent records the source sent again after kills
   */
  private record Figures(
      String label, int attempts, int kills, long records, long resent, Tally total, Map<String, Tally> streams,
      List<String> killNotes) {

    void assertExact() {
      assertThat(total.exact())
          .as(label + ": every record exactly once after " + kills + " kills in " + attempts + " attempts; "
              + total + "\n" + details())
          .isTrue();
    }

    String details() {
      StringBuilder text = new StringBuilder();
      streams.forEach((stream, tally) -> text.append("    ").append(stream).append(": ").append(tally).append('\n'));
      killNotes.forEach(note -> text.append("    ").append(note).append('\n'));
      return text.toString();
    }
  }

  /** Syncs of one seed into one schema, each checked against all the syncs before it. */
  private final class Run {
    /** No extra check after a kill. */
    static final AfterKill NO_CHECK = (attempt, outcome) -> {};

    @FunctionalInterface
    interface AfterKill {
      void check(int attempt, Outcome outcome);
    }

    final String schema;
    final long seed;
    final StateMode mode;
    final List<String> jvmOptions;
    final Duration timeout;
    final long recordsPerSecond;
    /** Whether this run's tables are the only ones in the database (then no other table may exist). */
    final boolean alone;
    final String label;
    final List<SyncPlan> completed = new ArrayList<>();
    /** Each stream's rows before the last sync. */
    Map<String, List<StoredRow>> before = Map.of();
    CrashSync.Result last;
    long fillMillis;
    long fillEndMillis;

    Run(String schema, long seed, StateMode mode, List<String> jvmOptions, Duration timeout, long recordsPerSecond,
        boolean alone) {
      this.schema = schema;
      this.seed = seed;
      this.mode = mode;
      this.jvmOptions = jvmOptions;
      this.timeout = timeout;
      this.recordsPerSecond = recordsPerSecond;
      this.alone = alone;
      this.label = CrashRecoveryProcessSuite.this.getClass().getSimpleName() + " seed " + seed + " (" + mode + " states)";
    }

    SyncPlan plan(int sync, long perStream) {
      return SyncPlan.generate(sync, seed, mode, perStream, STREAMS);
    }

    /** The first sync, without kills: it fills every table with generation 1. */
    void fill() {
      sync(1, RECORDS_PER_STREAM / 2, List.of(), NO_CHECK);
    }

    /** Sync {@code number} of the run, its attempts killed at {@code kills}. */
    CrashSync.Result sync(int number, long perStream, List<KillPoint> kills, AfterKill check) {
      SyncPlan plan = plan(number, perStream);
      Path catalog = ConnectorProcess.writeJson(
          workDir().resolve(schema + "-catalog-sync" + number + ".json"), plan.configuredCatalog());
      Launch launch = new Launch(jvmOptions, ConnectorProcess.jar(),
          List.of("--write", "--config", config(schema).toString(), "--catalog", catalog.toString()), workDir(), timeout,
          recordsPerSecond);
      before = storedRows();
      List<SyncPlan> through = new ArrayList<>(completed);
      through.add(plan);
      DeliveryCheck during = DeliveryCheck.after(through);
      String name = schema + "-seed" + seed + "-sync" + number;
      last = new CrashSync(launch, plan, name).run(kills, new CrashSync.Observer() {
        @Override
        public void beforeAttempt(int attempt) {
          closeTheDatabase();
        }

        /** Streams whose table a killed attempt left replaced by the new generation. */
        private final Set<String> replaced = new HashSet<>();

        @Override
        public void afterKill(int attempt, Outcome outcome) {
          for (StreamPlan stream : plan.streams()) {
            if (stream.stream().truncates(number) && before.containsKey(stream.name())) {
              checkReplacement(stream, attempt, outcome);
            }
          }
          check.check(attempt, outcome);
        }

        /**
         * The old generation whole, or the new one alone (never a mix). When an attempt has just
         * replaced the table, every record of the new generation is in it; a later attempt may take
         * out the rows no emitted state covers before their records come again.
         */
        private void checkReplacement(StreamPlan stream, int attempt, Outcome outcome) {
          String where = label + ", sync " + number + ", table " + stream.name() + ", after attempt " + attempt
              + " was killed " + outcome.killNote();
          DeliveryCheck.Replacement found = during.replacement(
              stream.name(), before.get(stream.name()), rows(stream.name()), stream.stream().generation(number));
          boolean seen = replaced.contains(stream.name());
          switch (found) {
            case OLD_WHOLE -> {
              if (seen) {
                fail(where + ": the old generation is back after it was replaced");
              }
            }
            case NEW_COMPLETE -> replaced.add(stream.name());
            case NEW_PARTLY -> {
              if (!seen) {
                fail(where + ": the old generation was replaced by part of the new one");
              }
            }
            case MIXED -> fail(where + ": neither the old generation whole nor the new one alone");
          }
        }
      });
      completed.add(plan);
      SYNCS.incrementAndGet();
      KILLS.addAndGet(last.kills());
      if (number == 1) {
        fillMillis = last.last().millis();
        fillEndMillis = last.last().endMillis();
      }
      return last;
    }

    /** Checks the tables against every completed sync, and prints the last sync's figures. */
    Figures verify() {
      closeTheDatabase();
      List<String> tables = db().tables().stream().filter(t -> !t.endsWith("." + CHECKPOINT_TABLE)).toList();
      List<String> expected = STREAMS.stream().map(s -> schema + "." + s.name()).toList();
      if (alone) {
        assertThat(tables).as(label + ": the tables after the sync (no temp table left)").containsExactlyInAnyOrderElementsOf(expected);
      } else {
        assertThat(tables).as(label + ": temp tables left after the sync").noneMatch(t -> t.toLowerCase(Locale.ROOT).endsWith("_airbyte_tmp"));
        assertThat(tables.stream().filter(t -> t.startsWith(schema + "."))).as(label + ": the tables after the sync")
            .containsExactlyInAnyOrderElementsOf(expected);
      }
      SyncPlan plan = completed.get(completed.size() - 1);
      DeliveryCheck check = DeliveryCheck.after(completed);
      Map<String, Tally> streams = new LinkedHashMap<>();
      Tally total = Tally.none();
      for (CrashStream stream : STREAMS) {
        Map<Long, String> earlier = new HashMap<>();
        if (!stream.truncates(plan.sync())) {
          before.getOrDefault(stream.name(), List.of()).forEach(row -> earlier.put(row.identity(), row.rawId()));
        }
        Tally tally = check.tally(stream.name(), rows(stream.name()), earlier);
        streams.put(stream.name(), tally);
        total = total.plus(tally);
      }
      Figures figures = new Figures(label + ", sync " + plan.sync(), last.attempts(), last.kills(), plan.totalRecords(),
          last.recordsSent() - plan.totalRecords(), total, streams, last.killNotes());
      System.out.printf(Locale.ROOT,
          "[crash] %s: %d records, %d attempts, %d kills, %d resent: lost %d, duplicated %d, unexpected %d, rewritten %d%n%s",
          figures.label(), figures.records(), figures.attempts(), figures.kills(), figures.resent(), total.lost(),
          total.duplicated(), total.unexpected(), total.rewritten(), figures.details());
      return figures;
    }

    void assertExactlyOnce() {
      verify().assertExact();
    }

    long count(String stream) {
      return db().count(db().qualified(schema, stream));
    }

    /** Every stream's rows, for the tables that exist. */
    Map<String, List<StoredRow>> storedRows() {
      closeTheDatabase();
      List<String> tables = db().tables();
      Map<String, List<StoredRow>> rows = new HashMap<>();
      for (CrashStream stream : STREAMS) {
        if (tables.contains(schema + "." + stream.name())) {
          rows.put(stream.name(), rows(stream.name()));
        }
      }
      return rows;
    }

    List<StoredRow> rows(String stream) {
      DatabaseReader db = db();
      String sql = "SELECT " + String.join(", ", db.quote("id"), db.quote("sync"), db.quote("seq"),
          db.quote(MetaColumns.GENERATION_ID), db.quote(MetaColumns.RAW_ID)) + " FROM " + db.qualified(schema, stream);
      List<StoredRow> rows = new ArrayList<>();
      db.scan(sql, row -> {
        long id = row.getLong(1);
        long sync = row.getLong(2);
        boolean missing = row.wasNull();
        long seq = row.getLong(3);
        missing |= row.wasNull();
        long generation = row.getLong(4);
        missing |= row.wasNull();
        long identity = missing || sync < 0 || sync > 255 || generation < 0 || generation > 255 || seq < 0 || seq >= 1L << 40
            ? -1 : SyncPlan.identity(sync, generation, seq);
        rows.add(new StoredRow(id, identity, row.getString(5)));
      });
      return rows;
    }
  }
}
