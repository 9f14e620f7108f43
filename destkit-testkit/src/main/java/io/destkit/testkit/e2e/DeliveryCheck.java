package io.destkit.testkit.e2e;

import io.destkit.testkit.e2e.SyncPlan.StreamPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each stream's table must hold after a series of completed syncs, and how far a table is
 * from it. An append table holds every record of every sync once; a deduped table one row per key,
 * the key's latest version; a sync that truncates starts its stream's table over. A record is
 * known by its {@link SyncPlan#identity} (sync, generation, position).
 */
public final class DeliveryCheck {

  /** A row as a stream's table holds it; {@code identity} is -1 when sync, seq or generation is NULL. */
  public record StoredRow(long id, long identity, String rawId) {}

  /**
   * How a table differs from what it must hold.
   *
   * @param lost records (append) or keys' latest versions (dedupe) that are not in the table
   * @param duplicated rows beyond the first of a record (append) or of a key (dedupe)
   * @param unexpected rows that are no record or version the table must hold (another generation,
   *     an older version)
   * @param rewritten rows of earlier syncs the table must keep that are there with another
   *     {@code _airbyte_raw_id} (deleted and written again)
   * @param windowCopies extra copies of records that lie in the one window the guarantee leaves (a
   *     checkpoint recorded whose STATE was not written before the kill); not counted in {@code
   *     duplicated}
   */
  public record Tally(long expected, long rows, long lost, long duplicated, long unexpected, long rewritten,
      List<String> examples, long windowCopies) {
    public Tally {
      examples = List.copyOf(examples);
    }

    public Tally(long expected, long rows, long lost, long duplicated, long unexpected, long rewritten, List<String> examples) {
      this(expected, rows, lost, duplicated, unexpected, rewritten, examples, 0);
    }

    /** This tally with {@code copies} of its duplicated rows counted as lying in the checkpoint window. */
    public Tally withWindowCopies(long copies) {
      long inWindow = Math.min(copies, duplicated);
      List<String> kept = duplicated - inWindow == 0
          ? examples.stream().filter(example -> !example.contains(" copies of ")).toList() : examples;
      return new Tally(expected, rows, lost, duplicated - inWindow, unexpected, rewritten, kept, windowCopies + inWindow);
    }

    public boolean exact() {
      return lost == 0 && duplicated == 0 && unexpected == 0 && rewritten == 0;
    }

    public Tally plus(Tally other) {
      List<String> both = new ArrayList<>(examples);
      both.addAll(other.examples);
      return new Tally(expected + other.expected, rows + other.rows, lost + other.lost, duplicated + other.duplicated,
          unexpected + other.unexpected, rewritten + other.rewritten, both.subList(0, Math.min(both.size(), 10)),
          windowCopies + other.windowCopies);
    }

    public static Tally none() {
      return new Tally(0, 0, 0, 0, 0, 0, List.of());
    }

    @Override
    public String toString() {
      return "rows " + rows + " (expected " + expected + "), lost " + lost + ", duplicated " + duplicated
          + (windowCopies == 0 ? "" : " (and " + windowCopies + " in the checkpoint window)") + ", unexpected " + unexpected + ", rewritten " + rewritten + (examples.isEmpty() ? "" : ", e.g. " + examples);
    }
  }

  private static final int EXAMPLES = 5;

  /** Per stream: the sorted identities an append table holds, or key to identity for a deduped one. */
  private final Map<String, long[]> appended = new LinkedHashMap<>();
  private final Map<String, Map<Long, Long>> latest = new LinkedHashMap<>();

  private DeliveryCheck() {}

  /** The tables after these syncs completed, in this order. */
  public static DeliveryCheck after(List<SyncPlan> syncs) {
    DeliveryCheck check = new DeliveryCheck();
    Map<String, List<long[]>> parts = new LinkedHashMap<>();
    for (SyncPlan sync : syncs) {
      for (StreamPlan stream : sync.streams()) {
        String name = stream.name();
        boolean truncates = stream.stream().truncates(sync.sync());
        if (stream.stream().kind().dedupes()) {
          Map<Long, Long> versions = check.latest.computeIfAbsent(name, n -> new HashMap<>());
          if (truncates) {
            versions.clear();
          }
          // Within a sync and across syncs, a later record has the later cursor.
          for (long seq = 0; seq < stream.records(); seq++) {
            versions.put(sync.id(stream, seq), sync.identity(stream, seq));
          }
        } else {
          List<long[]> records = parts.computeIfAbsent(name, n -> new ArrayList<>());
          if (truncates) {
            records.clear();
          }
          long[] identities = new long[Math.toIntExact(stream.records())];
          for (int seq = 0; seq < identities.length; seq++) {
            identities[seq] = sync.identity(stream, seq);
          }
          records.add(identities);
        }
      }
    }
    parts.forEach((name, records) -> {
      long[] all = records.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      check.appended.put(name, all);
    });
    return check;
  }

  /** The streams this check knows. */
  public Set<String> streams() {
    Set<String> names = new HashSet<>(appended.keySet());
    names.addAll(latest.keySet());
    return names;
  }

  /**
   * How {@code rows} differ from what the stream's table must hold. {@code earlier} maps the
   * identity of each row the table held before the last sync to its raw id: those the table must
   * still hold must keep their raw id.
   */
  public Tally tally(String stream, List<StoredRow> rows, Map<Long, String> earlier) {
    Examples examples = new Examples(stream);
    Tally tally;
    if (latest.containsKey(stream)) {
      tally = tallyDeduped(latest.get(stream), rows, examples);
    } else if (appended.containsKey(stream)) {
      tally = tallyAppended(appended.get(stream), rows, examples);
    } else {
      throw new IllegalArgumentException("no stream " + stream);
    }
    long rewritten = rewritten(stream, rows, earlier, examples);
    return new Tally(tally.expected, tally.rows, tally.lost, tally.duplicated, tally.unexpected, rewritten, examples.list);
  }

  private static Tally tallyAppended(long[] expected, List<StoredRow> rows, Examples examples) {
    long[] stored = rows.stream().mapToLong(StoredRow::identity).sorted().toArray();
    long lost = 0;
    long duplicated = 0;
    long unexpected = 0;
    int e = 0;
    int s = 0;
    while (e < expected.length || s < stored.length) {
      if (s == stored.length || (e < expected.length && expected[e] < stored[s])) {
        lost++;
        examples.add("lost " + SyncPlan.describeIdentity(expected[e]));
        e++;
      } else if (e == expected.length || stored[s] < expected[e]) {
        unexpected++;
        examples.add("unexpected " + describe(stored[s]));
        s++;
      } else {
        long identity = expected[e++];
        int copies = 0;
        while (s < stored.length && stored[s] == identity) {
          copies++;
          s++;
        }
        if (copies > 1) {
          duplicated += copies - 1;
          examples.add(copies + " copies of " + SyncPlan.describeIdentity(identity));
        }
      }
    }
    return new Tally(expected.length, stored.length, lost, duplicated, unexpected, 0, List.of());
  }

  private static Tally tallyDeduped(Map<Long, Long> expected, List<StoredRow> rows, Examples examples) {
    Map<Long, List<Long>> byKey = new HashMap<>();
    for (StoredRow row : rows) {
      byKey.computeIfAbsent(row.id(), k -> new ArrayList<>(1)).add(row.identity());
    }
    long lost = 0;
    long duplicated = 0;
    long unexpected = 0;
    for (Map.Entry<Long, Long> key : expected.entrySet()) {
      List<Long> stored = byKey.remove(key.getKey());
      if (stored == null) {
        lost++;
        examples.add("lost key " + key.getKey() + " (" + SyncPlan.describeIdentity(key.getValue()) + ")");
      } else if (stored.contains(key.getValue())) {
        if (stored.size() > 1) {
          duplicated += stored.size() - 1;
          examples.add(stored.size() + " rows of key " + key.getKey());
        }
      } else {
        lost++;
        unexpected += stored.size();
        examples.add("key " + key.getKey() + " holds " + stored.stream().map(DeliveryCheck::describe).toList()
            + " instead of " + SyncPlan.describeIdentity(key.getValue()));
      }
    }
    for (Map.Entry<Long, List<Long>> key : byKey.entrySet()) {
      unexpected += key.getValue().size();
      examples.add("unexpected key " + key.getKey());
    }
    return new Tally(expected.size(), rows.size(), lost, duplicated, unexpected, 0, List.of());
  }

  /** Rows of earlier syncs that must still be there but are not with the raw id they had. */
  private long rewritten(String stream, List<StoredRow> rows, Map<Long, String> earlier, Examples examples) {
    if (earlier.isEmpty()) {
      return 0;
    }
    Set<Long> kept = new HashSet<>();
    if (latest.containsKey(stream)) {
      kept.addAll(latest.get(stream).values());
    } else {
      for (long identity : appended.get(stream)) {
        kept.add(identity);
      }
    }
    Map<Long, Set<String>> stored = new HashMap<>();
    for (StoredRow row : rows) {
      if (earlier.containsKey(row.identity())) {
        stored.computeIfAbsent(row.identity(), k -> new HashSet<>()).add(row.rawId());
      }
    }
    long rewritten = 0;
    for (Map.Entry<Long, String> row : earlier.entrySet()) {
      Set<String> rawIds = stored.get(row.getKey());
      // A missing row is counted as lost already.
      if (kept.contains(row.getKey()) && rawIds != null && !rawIds.contains(row.getValue())) {
        rewritten++;
        examples.add("rewritten " + SyncPlan.describeIdentity(row.getKey()));
      }
    }
    return rewritten;
  }

  /** What a table being replaced by a new generation holds when its sync is interrupted. */
  public enum Replacement {
    /** Exactly the rows it held before the sync. */
    OLD_WHOLE,
    /** Rows of the new generation only, every record (or key) of it among them. */
    NEW_COMPLETE,
    /** Rows of the new generation only, not all of them. */
    NEW_PARTLY,
    /** Anything else: old rows missing, or old and new rows together. */
    MIXED
  }

  /** What {@code now}, the rows of a stream being replaced by {@code newGeneration}, is; {@code before} are its rows before the sync. */
  public Replacement replacement(String stream, List<StoredRow> before, List<StoredRow> now, long newGeneration) {
    long[] old = before.stream().mapToLong(StoredRow::identity).sorted().toArray();
    long[] current = now.stream().mapToLong(StoredRow::identity).sorted().toArray();
    if (Arrays.equals(old, current)) {
      return Replacement.OLD_WHOLE;
    }
    boolean onlyNew = now.stream().allMatch(r -> r.identity() >= 0 && (r.identity() >>> 40 & 0xff) == newGeneration);
    if (!onlyNew) {
      return Replacement.MIXED;
    }
    Tally tally = tally(stream, now, Map.of());
    return tally.lost() == 0 && tally.unexpected() == 0 ? Replacement.NEW_COMPLETE : Replacement.NEW_PARTLY;
  }

  private static String describe(long identity) {
    return identity < 0 ? "a row with NULL sync, seq or generation" : SyncPlan.describeIdentity(identity);
  }

  private static final class Examples {
    private final String stream;
    private final List<String> list = new ArrayList<>();

    Examples(String stream) {
      this.stream = stream;
    }

    void add(String example) {
      if (list.size() < EXAMPLES) {
        list.add(stream + ": " + example);
      }
    }
  }
}
