package io.destkit.testkit.e2e;

import io.destkit.testkit.e2e.DeliveryCheck.StoredRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one window the exactly-once guarantee leaves, as each kill of a run left it: the destination
 * had recorded a checkpoint whose STATE it had not written (or the platform lost) when it died, so
 * the next attempt kept the rows up to that checkpoint and the source, resuming from the last STATE
 * the platform had, sent them again. The copies a window explains stay explained in the checks of
 * every later sync: no later sync sends their records again, nor may it remove them.
 */
final class CheckpointWindows {
  /**
   * What a kill in sync {@code sync} left for the next attempt in one stream: the position its
   * source resumed from, and the raw id up to which the destination had recorded the stream's rows
   * as covered.
   */
  record Window(int sync, String stream, long resumeFrom, String recordedRawId) {}

  private final List<Window> windows = new ArrayList<>();

  void add(Window window) {
    windows.add(window);
  }

  /**
   * How many of a stream's rows, after sync {@code sync}, are extra copies that lie in a window:
   * for each record stored more than once, every copy but the last (by raw id) whose raw id is at
   * or below the one a killed attempt of the record's own sync had recorded, when the attempt after
   * it resumed at or before the record. A copy of a record of an earlier sync counts only when it is
   * one of {@code heldBefore}, the raw ids the stream's table held before sync {@code sync}.
   */
  long copies(int sync, String stream, List<StoredRow> rows, Set<String> heldBefore) {
    Map<Long, List<String>> copies = new HashMap<>();
    for (StoredRow row : rows) {
      if (row.identity() >= 0) {
        copies.computeIfAbsent(row.identity(), k -> new ArrayList<>()).add(row.rawId());
      }
    }
    long inWindow = 0;
    for (Map.Entry<Long, List<String>> record : copies.entrySet()) {
      List<String> ids = record.getValue();
      if (ids.size() < 2) {
        continue;
      }
      ids.sort(null);
      long recordSync = record.getKey() >>> 48;
      long seq = record.getKey() & ((1L << 40) - 1);
      for (String id : ids.subList(0, ids.size() - 1)) {
        if ((recordSync == sync || heldBefore.contains(id)) && explained(recordSync, stream, seq, id)) {
          inWindow++;
        }
      }
    }
    return inWindow;
  }

  private boolean explained(long sync, String stream, long seq, String rawId) {
    return windows.stream().anyMatch(w -> w.sync() == sync && w.stream().equals(stream)
        && seq >= w.resumeFrom() && rawId.compareTo(w.recordedRawId()) <= 0);
  }
}
