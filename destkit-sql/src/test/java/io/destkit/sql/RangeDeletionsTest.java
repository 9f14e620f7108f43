package io.destkit.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the removal after a mark is cut into statements of at most 500 kept ranges. */
class RangeDeletionsTest {
  private static final long HIGH = 0x0190a6c8_0000_7000L;
  private static final RawId MARK = new RawId(HIGH - 1, 0x8000000000000000L);

  private static List<RawIdRange> blocks(int count) {
    List<RawIdRange> blocks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      blocks.add(RawIdRange.block(HIGH + 2L * i));
    }
    return blocks;
  }

  @Test
  void withNoKeptRangeOneStatementRemovesEverythingAfterTheMark() {
    assertThat(TableOperations.rangeDeletions(MARK, List.of()))
        .containsExactly(new TableOperations.RangeDeletion(MARK, Optional.empty(), List.of()));
  }

  @Test
  void upTo500KeptRangesGoIntoOneStatement() {
    List<RawIdRange> kept = blocks(500);
    assertThat(TableOperations.rangeDeletions(MARK, kept))
        .containsExactly(new TableOperations.RangeDeletion(MARK, Optional.empty(), kept));
  }

  @Test
  void moreRangesAreCutIntoSpansThatMeetAtTheRangesAndTogetherHoldEveryIdAboveTheMark() {
    List<RawIdRange> kept = blocks(1001);

    List<TableOperations.RangeDeletion> deletions = TableOperations.rangeDeletions(MARK, kept);

    assertThat(deletions).containsExactly(
        new TableOperations.RangeDeletion(MARK, Optional.of(kept.get(500).first()), kept.subList(0, 500)),
        new TableOperations.RangeDeletion(kept.get(499).last(), Optional.of(kept.get(1000).first()), kept.subList(500, 1000)),
        new TableOperations.RangeDeletion(kept.get(999).last(), Optional.empty(), kept.subList(1000, 1001)));
  }
}
