package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.destkit.sql.SqlCheckpointStore;
import io.destkit.testkit.e2e.ConnectorAttempt.Launch;
import io.destkit.testkit.e2e.ConnectorAttempt.Outcome;
import io.destkit.testkit.e2e.DeliveryCheck.StoredRow;
import io.destkit.testkit.e2e.DeliveryCheck.Tally;
import io.destkit.testkit.e2e.SyncPlan.StateMode;
import io.destkit.testkit.e2e.SyncPlan.StreamPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The syncs of one seed into one schema of a test's database or catalog ({@link CrashRecoveryProcessSuite}),
 * each run as a {@link CrashSync} and checked against all the syncs before it ({@link
 * DeliveryCheck}); the streams are those of {@link CrashStream#standard()}.
 */
final class CrashRun {
  static final List<CrashStream> STREAMS = CrashStream.standard();

  /** No extra check after a kill. */
  static final AfterKill NO_CHECK = (attempt, outcome) -> {};

  @FunctionalInterface
  interface AfterKill {
    void check(int attempt, Outcome outcome);
  }

  /** What a run needs of the test: its database and its files. */
  interface Target {
    /** Names the destination's suite in the figures. */
    String name();

    Path workDir();

    /** A config file of the test's database with this default schema. */
    Path config(String schema);

    /** The test's tables, opened on first use. */
    CrashTables tables();

    /** Closes the test's connections (a DuckDB file is locked while they are open). */
    void closeDatabase();

    /** Counts each finished sync and its kills. */
    void count(CrashSync.Result sync);
  }

  private final Target target;
  private final String schema;
  private final long seed;
  private final StateMode mode;
  private final List<String> jvmOptions;
  private final Duration timeout;
  private final long recordsPerSecond;
  /** Whether this run's tables are the only ones in the database (then no other table may exist). */
  private final boolean alone;
  private final List<SyncPlan> completed = new ArrayList<>();
  /** Each stream's rows before the last sync. */
  private Map<String, List<StoredRow>> before = Map.of();
  private CrashSync.Result last;
  /** Names the run (suite, seed, state mode) in its figures and failures. */
  final String label;
  /** How long the first sync took, and how long from the end of its input to its exit. */
  long fillMillis;
  long fillEndMillis;

  CrashRun(Target target, String schema, long seed, StateMode mode, List<String> jvmOptions, Duration timeout,
      long recordsPerSecond, boolean alone) {
    this.target = target;
    this.schema = schema;
    this.seed = seed;
    this.mode = mode;
    this.jvmOptions = jvmOptions;
    this.timeout = timeout;
    this.recordsPerSecond = recordsPerSecond;
    this.alone = alone;
    this.label = target.name() + " seed " + seed + " (" + mode + " states)";
  }

  SyncPlan plan(int sync, long perStream) {
    return SyncPlan.generate(sync, seed, mode, perStream, STREAMS);
  }

  /** The first sync, without kills: it fills every table with generation 1. */
  void fill(long perStream) {
    sync(1, perStream, List.of(), NO_CHECK);
  }

  /** Sync {@code number} of the run, its attempts killed at {@code kills}. */
  CrashSync.Result sync(int number, long perStream, List<KillPoint> kills, AfterKill check) {
    SyncPlan plan = plan(number, perStream);
    Path catalog = ConnectorProcess.writeJson(
        target.workDir().resolve(schema + "-catalog-sync" + number + ".json"), plan.configuredCatalog());
    Launch launch = new Launch(jvmOptions, ConnectorProcess.jar(),
        List.of("--write", "--config", target.config(schema).toString(), "--catalog", catalog.toString()), target.workDir(), timeout,
        recordsPerSecond);
    before = storedRows();
    List<SyncPlan> through = new ArrayList<>(completed);
    through.add(plan);
    DeliveryCheck during = DeliveryCheck.after(through);
    String name = schema + "-sync" + number;
    try {
      last = runAttempts(plan, name, launch, kills, check, during);
    } catch (AssertionError e) {
      keepFiles();
      throw e;
    }
    completed.add(plan);
    target.count(last);
    if (number == 1) {
      fillMillis = last.last().millis();
      fillEndMillis = last.last().endMillis();
    }
    return last;
  }

  private CrashSync.Result runAttempts(
      SyncPlan plan, String name, Launch launch, List<KillPoint> kills, AfterKill check, DeliveryCheck during) {
    int number = plan.sync();
    return new CrashSync(launch, plan, name).run(kills, new CrashSync.Observer() {
      @Override
      public void beforeAttempt(int attempt) {
        target.closeDatabase();
      }

      /** Streams whose table a killed attempt left replaced by the new generation. */
      private final Set<String> replaced = new HashSet<>();

      @Override
      public void afterKill(int attempt, Outcome outcome, ResumePosition next) {
        recordWindow(number, next);
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
  }

  /** The windows every kill of this run left, by sync and stream. */
  private final CheckpointWindows windows = new CheckpointWindows();

  /**
   * What a killed attempt left for the next (see {@link CheckpointWindows}): per stream, the
   * position the source resumes from and the raw id up to which the destination had recorded its
   * rows as covered, read from the checkpoint table.
   */
  private void recordWindow(int sync, ResumePosition next) {
    target.closeDatabase();
    read(() -> {
      target.tables().recordedRawIds(schema).forEach((table, rawId) ->
          windows.add(new CheckpointWindows.Window(sync, table, next.of(table), rawId)));
      return null;
    });
  }

  /** A read of the tables, whose failure fails the test. */
  @FunctionalInterface
  private interface Read<T> {
    T run() throws Exception;
  }

  private static <T> T read(Read<T> read) {
    try {
      return read.run();
    } catch (RuntimeException | AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("reading the tables failed", e);
    }
  }

  /** Checks the tables against every completed sync, and prints the last sync's figures. */
  CrashFigures verify() {
    target.closeDatabase();
    List<String> tables = read(() -> target.tables().tables());
    List<String> expected = STREAMS.stream().map(s -> schema + "." + s.name()).toList();
    if (alone) {
      assertThat(tables).as(label + ": the tables after the sync (no temp table left)").containsExactlyInAnyOrderElementsOf(expected);
    } else {
      // Temp tables end with _airbyte_tmp, or (in Airbyte's style) live in <schema>_raw beside the checkpoint table.
      assertThat(tables).as(label + ": temp tables left after the sync").noneMatch(t -> t.toLowerCase(Locale.ROOT).endsWith("_airbyte_tmp")
          || (t.startsWith(schema + "_raw.") && !t.equals(schema + "_raw." + SqlCheckpointStore.TABLE_NAME)));
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
      List<StoredRow> stored = rows(stream.name());
      Set<String> heldBefore = new HashSet<>();
      before.getOrDefault(stream.name(), List.of()).forEach(row -> heldBefore.add(row.rawId()));
      long inWindow = windows.copies(plan.sync(), stream.name(), stored, heldBefore);
      Tally tally = check.tally(stream.name(), stored, earlier).withWindowCopies(inWindow);
      streams.put(stream.name(), tally);
      total = total.plus(tally);
    }
    CrashFigures figures = new CrashFigures(label + ", sync " + plan.sync(), last.attempts(), last.kills(), plan.totalRecords(),
        last.recordsSent() - plan.totalRecords(), total, streams, last.killNotes());
    System.out.printf(Locale.ROOT,
        "[crash] %s: %d records, %d attempts, %d kills, %d resent: lost %d, duplicated %d (outside the window),"
            + " in the checkpoint window %d, unexpected %d, rewritten %d%n%s",
        figures.label(), figures.records(), figures.attempts(), figures.kills(), figures.resent(), total.lost(),
        total.duplicated(), total.windowCopies(), total.unexpected(), total.rewritten(), figures.details());
    return figures;
  }

  /** {@link #verify()}, failing unless every record is there exactly once (window copies apart); returns the figures. */
  CrashFigures assertExactlyOnce() {
    CrashFigures figures = verify();
    if (!figures.total().exact()) {
      keepFiles();
    }
    figures.assertExact();
    return figures;
  }

  /**
   * Copies the run's files (catalogs, each attempt's stdout and stderr) to {@code
   * target/crash-runs/}, which outlives the test's temporary directory.
   */
  void keepFiles() {
    Path kept = Path.of("target", "crash-runs", target.name() + "-" + schema + "-seed" + seed);
    try (Stream<Path> files = Files.list(target.workDir())) {
      Files.createDirectories(kept);
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith(schema + "-")).toList()) {
        Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      System.out.println("[crash] " + label + ": the attempts' files are kept in " + kept.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the files of " + label + " in " + kept, e);
    }
  }

  long count(String stream) {
    return read(() -> target.tables().count(schema, stream));
  }

  /** Every stream's rows, for the tables that exist. */
  Map<String, List<StoredRow>> storedRows() {
    target.closeDatabase();
    List<String> tables = read(() -> target.tables().tables());
    Map<String, List<StoredRow>> rows = new HashMap<>();
    for (CrashStream stream : STREAMS) {
      if (tables.contains(schema + "." + stream.name())) {
        rows.put(stream.name(), rows(stream.name()));
      }
    }
    return rows;
  }

  List<StoredRow> rows(String stream) {
    List<StoredRow> rows = new ArrayList<>();
    for (CrashTables.Row row : read(() -> target.tables().rows(schema, stream))) {
      long sync = row.sync() == null ? 0 : row.sync();
      long seq = row.seq() == null ? 0 : row.seq();
      long generation = row.generation() == null ? 0 : row.generation();
      boolean missing = row.sync() == null || row.seq() == null || row.generation() == null;
      long identity = missing || sync < 0 || sync > 255 || generation < 0 || generation > 255 || seq < 0 || seq >= 1L << 40
          ? -1 : SyncPlan.identity(sync, generation, seq);
      rows.add(new StoredRow(row.id() == null ? 0 : row.id(), identity, row.rawId()));
    }
    return rows;
  }
}
