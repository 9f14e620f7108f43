package io.destkit.testkit.e2e;

import java.util.List;

/**
 * A stream of the crash syncs, each its own catalog entry. Its sync mode, generation and minimum
 * generation depend on the sync (1: the sync that fills the tables, 2: the sync that is killed,
 * 3 and later: ordinary syncs after it), as a platform sets them.
 *
 * @param emitsStates whether the source sends STREAM states for it; a stream without any is sent
 *     whole again by every attempt (in GLOBAL mode every stream is covered by the global state)
 */
public record CrashStream(String name, Kind kind, boolean emitsStates) {

  /** How the stream is loaded. */
  public enum Kind {
    /** {@code append}, minimum generation 0: every record once. */
    APPEND,
    /** {@code overwrite} with {@code minimum_generation_id = generation_id}: a refresh every sync. */
    APPEND_TRUNCATE,
    /** {@code append_dedup}, primary key {@code id}, cursor {@code updated_at}. */
    DEDUPE,
    /** {@code append_dedup}, refreshed (minimum generation = generation = 2) in sync 2 only. */
    DEDUPE_TRUNCATE;

    public boolean dedupes() {
      return this == DEDUPE || this == DEDUPE_TRUNCATE;
    }
  }

  /**
   * The five streams: {@code events} (append), {@code accounts} (append-truncate), {@code customers}
   * (dedupe), {@code products} (dedupe-truncate) and {@code audit_log} (append, no STATE at all).
   */
  public static List<CrashStream> standard() {
    return List.of(
        new CrashStream("events", Kind.APPEND, true),
        new CrashStream("accounts", Kind.APPEND_TRUNCATE, true),
        new CrashStream("customers", Kind.DEDUPE, true),
        new CrashStream("products", Kind.DEDUPE_TRUNCATE, true),
        new CrashStream("audit_log", Kind.APPEND, false));
  }

  /** The stream's {@code generation_id} in sync {@code sync}. */
  public long generation(int sync) {
    return switch (kind) {
      case APPEND, DEDUPE -> 1;
      case APPEND_TRUNCATE -> sync;
      case DEDUPE_TRUNCATE -> Math.min(sync, 2);
    };
  }

  /** Whether sync {@code sync} replaces the stream's table ({@code minimum_generation_id = generation_id}). */
  public boolean truncates(int sync) {
    return switch (kind) {
      case APPEND, DEDUPE -> false;
      case APPEND_TRUNCATE -> true;
      case DEDUPE_TRUNCATE -> sync == 2;
    };
  }

  public long minimumGeneration(int sync) {
    return truncates(sync) ? generation(sync) : 0;
  }

  public String destinationSyncMode() {
    return switch (kind) {
      case APPEND -> "append";
      case APPEND_TRUNCATE -> "overwrite";
      case DEDUPE, DEDUPE_TRUNCATE -> "append_dedup";
    };
  }

  public String syncMode() {
    return kind == Kind.APPEND_TRUNCATE ? "full_refresh" : "incremental";
  }
}
