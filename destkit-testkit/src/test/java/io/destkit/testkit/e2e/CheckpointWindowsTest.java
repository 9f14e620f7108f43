package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.testkit.e2e.DeliveryCheck.StoredRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckpointWindowsTest {
  private static final long GENERATION = 1;

  /**
   * Sync 2's attempt 1 wrote seq 0..19 and had recorded its checkpoint at seq 14 when it died; the
   * platform had the STATE at seq 5 only, so attempt 2 resumed there and wrote seq 5..19 again.
   */
  private final CheckpointWindows windows = new CheckpointWindows();
  private final List<StoredRow> afterSync2 = new ArrayList<>();

  CheckpointWindowsTest() {
    windows.add(new CheckpointWindows.Window(2, "events", 5, rawId(2, 1, 14)));
    for (int seq = 0; seq < 20; seq++) {
      afterSync2.add(row(2, 1, seq));
    }
    for (int seq = 5; seq < 20; seq++) {
      afterSync2.add(row(2, 2, seq));
    }
  }

  /** Raw ids sort by sync, then attempt, then record, as the destination's version 7 ids do by time. */
  private static String rawId(int sync, int attempt, int seq) {
    return String.format("%02d-%02d-%06d", sync, attempt, seq);
  }

  private static StoredRow row(int sync, int attempt, int seq) {
    return new StoredRow(seq, SyncPlan.identity(sync, GENERATION, seq), rawId(sync, attempt, seq));
  }

  private static Set<String> rawIds(List<StoredRow> rows) {
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> ids.add(row.rawId()));
    return ids;
  }

  @Test
  void theCopiesAKilledAttemptKeptUpToItsRecordedCheckpointAreWindowCopiesOfItsSync() {
    // seq 5..14: the first copy is at or below the recorded raw id; seq 15..19 were removed in
    // truth, and a copy of them here is a duplicate the window does not explain.
    assertThat(windows.copies(2, "events", afterSync2, Set.of())).isEqualTo(10);
  }

  @Test
  void theWindowCopiesOfAnEarlierSyncStayWindowCopiesInTheNextSyncsCheck() {
    List<StoredRow> afterSync3 = new ArrayList<>(afterSync2);
    for (int seq = 0; seq < 10; seq++) {
      afterSync3.add(row(3, 1, seq));
    }

    assertThat(windows.copies(3, "events", afterSync3, rawIds(afterSync2))).isEqualTo(10);
  }

  @Test
  void aCopyOfAnEarlierSyncsRecordThatTheTableDidNotHoldBeforeIsNoWindowCopy() {
    List<StoredRow> afterSync3 = new ArrayList<>(afterSync2);
    Set<String> heldBefore = rawIds(afterSync2);
    heldBefore.remove(rawId(2, 1, 7));

    assertThat(windows.copies(3, "events", afterSync3, heldBefore)).isEqualTo(9);
  }

  @Test
  void copiesOfAnotherSyncOrStreamOrBeforeTheResumePositionAreNoWindowCopies() {
    List<StoredRow> rows = new ArrayList<>();
    for (int seq = 0; seq < 5; seq++) {
      // Before where attempt 2 resumed: copies of these are never sent again by the source.
      rows.add(row(2, 1, seq));
      rows.add(row(2, 2, seq));
      // Sync 3's records, their copies below sync 2's recorded raw id: no window of sync 3.
      rows.add(new StoredRow(seq, SyncPlan.identity(3, GENERATION, seq), rawId(2, 0, seq)));
      rows.add(row(3, 1, seq));
    }

    assertThat(windows.copies(3, "events", rows, rawIds(rows))).isZero();
    assertThat(windows.copies(2, "audit_log", afterSync2, Set.of())).isZero();
  }
}
