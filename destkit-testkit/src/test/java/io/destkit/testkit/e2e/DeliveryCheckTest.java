package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.testkit.e2e.DeliveryCheck.StoredRow;
import io.destkit.testkit.e2e.DeliveryCheck.Tally;
import io.destkit.testkit.e2e.SyncPlan.StateMode;
import io.destkit.testkit.e2e.SyncPlan.StreamPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryCheckTest {
  private static final List<CrashStream> STREAMS = CrashStream.standard();
  private final SyncPlan first = SyncPlan.generate(1, 11, StateMode.STREAM, 100, STREAMS);
  private final SyncPlan second = SyncPlan.generate(2, 11, StateMode.STREAM, 200, STREAMS);
  private final DeliveryCheck check = DeliveryCheck.after(List.of(first, second));

  /** What a table holds when each record of these syncs is written once (deduped and truncated as it must be). */
  private static List<StoredRow> exactRows(String stream, List<SyncPlan> syncs) {
    Map<Long, StoredRow> byKey = new HashMap<>();
    List<StoredRow> rows = new ArrayList<>();
    for (SyncPlan sync : syncs) {
      StreamPlan plan = sync.stream(stream);
      if (plan.stream().truncates(sync.sync())) {
        rows.clear();
        byKey.clear();
      }
      for (long seq = 0; seq < plan.records(); seq++) {
        StoredRow row = new StoredRow(sync.id(plan, seq), sync.identity(plan, seq), "raw-" + sync.sync() + "-" + seq);
        if (plan.stream().kind().dedupes()) {
          byKey.put(row.id(), row);
        } else {
          rows.add(row);
        }
      }
    }
    rows.addAll(byKey.values());
    return rows;
  }

  @Test
  void tablesHoldingEachRecordOnceAreExact() {
    for (CrashStream stream : STREAMS) {
      List<StoredRow> rows = exactRows(stream.name(), List.of(first, second));
      assertThat(check.tally(stream.name(), rows, Map.of()).exact()).as(stream.name()).isTrue();
    }
  }

  @Test
  void anAppendTableCountsEachLostDuplicatedAndForeignRow() {
    List<StoredRow> rows = new ArrayList<>(exactRows("events", List.of(first, second)));
    StoredRow dropped = rows.remove(3);
    rows.add(rows.get(10));
    rows.add(rows.get(10));
    rows.add(new StoredRow(1, SyncPlan.identity(2, 7, 0), "raw-x"));

    Tally tally = check.tally("events", rows, Map.of());

    assertThat(tally.lost()).isEqualTo(1);
    assertThat(tally.duplicated()).isEqualTo(2);
    assertThat(tally.unexpected()).isEqualTo(1);
    assertThat(tally.examples()).anyMatch(e -> e.contains(SyncPlan.describeIdentity(dropped.identity())));
  }

  @Test
  void aDedupedTableMustHoldEachKeysLatestVersionOnce() {
    List<StoredRow> rows = new ArrayList<>(exactRows("customers", List.of(first, second)));
    StoredRow latest = rows.stream().filter(r -> r.identity() >>> 48 == 2).findFirst().orElseThrow();
    rows.remove(latest);
    // An older version of that key in its place, and a second row of another key.
    rows.add(new StoredRow(latest.id(), latest.identity() - 1, "raw-old"));
    rows.add(rows.get(0));

    Tally tally = check.tally("customers", rows, Map.of());

    assertThat(tally.lost()).isEqualTo(1);
    assertThat(tally.unexpected()).isEqualTo(1);
    assertThat(tally.duplicated()).isEqualTo(1);
  }

  @Test
  void aTruncatedTableMustHoldTheLastGenerationOnly() {
    List<StoredRow> rows = new ArrayList<>(exactRows("accounts", List.of(second)));
    rows.addAll(exactRows("accounts", List.of(first)));

    Tally tally = check.tally("accounts", rows, Map.of());

    assertThat(tally.lost()).isZero();
    assertThat(tally.unexpected()).isEqualTo(first.stream("accounts").records());
  }

  @Test
  void rowsOfAnEarlierSyncMustKeepTheirRawIds() {
    List<StoredRow> rows = new ArrayList<>(exactRows("events", List.of(first, second)));
    Map<Long, String> earlier = new HashMap<>();
    exactRows("events", List.of(first)).forEach(r -> earlier.put(r.identity(), r.rawId()));
    StoredRow old = rows.get(0);
    rows.set(0, new StoredRow(old.id(), old.identity(), "raw-rewritten"));

    assertThat(check.tally("events", rows, earlier).rewritten()).isEqualTo(1);
  }

  @Test
  void aTableBeingReplacedHoldsItsOldGenerationWholeTheNewOneAloneOrAMix() {
    List<StoredRow> old = exactRows("accounts", List.of(first));
    List<StoredRow> replaced = exactRows("accounts", List.of(second));
    List<StoredRow> mixed = new ArrayList<>(old);
    mixed.add(replaced.get(0));
    List<StoredRow> partlyReplaced = replaced.subList(0, replaced.size() / 2);
    List<StoredRow> partlyOld = old.subList(1, old.size());

    assertThat(check.replacement("accounts", old, old, 2)).isEqualTo(DeliveryCheck.Replacement.OLD_WHOLE);
    assertThat(check.replacement("accounts", old, replaced, 2)).isEqualTo(DeliveryCheck.Replacement.NEW_COMPLETE);
    assertThat(check.replacement("accounts", old, partlyReplaced, 2)).isEqualTo(DeliveryCheck.Replacement.NEW_PARTLY);
    assertThat(check.replacement("accounts", old, mixed, 2)).isEqualTo(DeliveryCheck.Replacement.MIXED);
    assertThat(check.replacement("accounts", old, partlyOld, 2)).isEqualTo(DeliveryCheck.Replacement.MIXED);
  }
}
