package io.destkit.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RawIdRangeTest {
  private static final long HIGH = 0x0190a6c8_1234_7abcL;

  @Test
  void aBlockHoldsEveryIdOfItsHigh64BitsWithTheVariantSet() {
    RawIdRange block = RawIdRange.block(HIGH);

    assertThat(block.first()).hasToString("0190a6c8-1234-7abc-8000-000000000000");
    assertThat(block.last()).hasToString("0190a6c8-1234-7abc-bfff-ffffffffffff");
    assertThat(block.contains(new RawId(HIGH, 0x8000000000000000L))).isTrue();
    assertThat(block.contains(new RawId(HIGH, 0x9234567812345678L))).isTrue();
    assertThat(block.contains(new RawId(HIGH, 0xBFFFFFFFFFFFFFFFL))).isTrue();
    assertThat(block.contains(new RawId(HIGH, 0xC000000000000000L))).isFalse();
    assertThat(block.contains(new RawId(HIGH + 1, 0x8000000000000000L))).isFalse();
    assertThat(block.contains(new RawId(HIGH - 1, 0xBFFFFFFFFFFFFFFFL))).isFalse();
  }

  @Test
  void aRangeWhoseFirstIdIsAboveItsLastIsRefused() {
    assertThatThrownBy(() -> new RawIdRange(new RawId(HIGH, 2), new RawId(HIGH, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is above its last");
  }

  @Test
  void aListOfRangesRoundTripsThroughItsText() {
    List<RawIdRange> ranges = List.of(RawIdRange.block(HIGH), RawIdRange.block(HIGH + 5),
        new RawIdRange(new RawId(HIGH + 9, 0x8000000000000001L), new RawId(HIGH + 9, 0x8000000000000001L)));

    String text = RawIdRange.format(ranges);

    assertThat(text).isEqualTo("0190a6c8-1234-7abc-8000-000000000000..0190a6c8-1234-7abc-bfff-ffffffffffff,"
        + "0190a6c8-1234-7ac1-8000-000000000000..0190a6c8-1234-7ac1-bfff-ffffffffffff,"
        + "0190a6c8-1234-7ac5-8000-000000000001..0190a6c8-1234-7ac5-8000-000000000001");
    assertThat(RawIdRange.parseList(text)).isEqualTo(ranges);
    assertThat(RawIdRange.format(List.of())).isEmpty();
    assertThat(RawIdRange.parseList("")).isEmpty();
    assertThat(RawIdRange.parseList(null)).isEmpty();
  }

  @Test
  void aRangeThatDoesNotParseIsNamedByItsPositionAndText() {
    String good = RawIdRange.block(HIGH).toString();

    assertThatThrownBy(() -> RawIdRange.parseList(good + ",0190a6c8-1234-7abc-8000-000000000000"))
        .hasMessageContaining("Kept raw id range 2 of 2").hasMessageContaining("not of the form first..last");
    assertThatThrownBy(() -> RawIdRange.parseList(good + "," + good + ",0190a6c8..0190a6c8-1234-7abc-bfff-ffffffffffff"))
        .hasMessageContaining("Kept raw id range 3 of 3").hasMessageContaining("its first id '0190a6c8'");
    assertThatThrownBy(() -> RawIdRange.parse("0190a6c8-1234-7abc-bfff-ffffffffffff..0190a6c8-1234-7abc-8000-000000000000"))
        .hasMessageContaining("its first id is above its last");
    assertThatThrownBy(() -> RawIdRange.parse("0190a6c8-1234-7abc-8000-000000000000..0190a6c8-1234-7abc-zfff-ffffffffffff"))
        .hasMessageContaining("its last id '0190a6c8-1234-7abc-zfff-ffffffffffff' is not a UUID");
  }

  @Test
  void rangesAboveAMarkAreSortedJoinedAndClippedToAboveIt() {
    RawId mark = new RawId(HIGH + 1, 0x9000000000000000L);
    RawIdRange below = RawIdRange.block(HIGH);
    RawIdRange acrossTheMark = RawIdRange.block(HIGH + 1);
    RawIdRange later = RawIdRange.block(HIGH + 4);
    RawIdRange insideLater = new RawIdRange(new RawId(HIGH + 4, 0x9000000000000000L), new RawId(HIGH + 4, 0xA000000000000000L));
    RawIdRange adjacent = new RawIdRange(new RawId(HIGH + 4, 0xC000000000000000L), new RawId(HIGH + 4, 0xC000000000000005L));

    List<RawIdRange> above = RawIdRange.above(mark, List.of(later, below, adjacent, acrossTheMark, insideLater));

    assertThat(above).containsExactly(
        new RawIdRange(new RawId(HIGH + 1, 0x9000000000000001L), acrossTheMark.last()),
        new RawIdRange(later.first(), adjacent.last()));
  }

  @Test
  void anIdIsFoundInTheRangeThatHoldsItAmongMany() {
    List<RawIdRange> blocks = new ArrayList<>();
    for (int i = 0; i < 101; i += 2) {
      blocks.add(RawIdRange.block(HIGH + i));
    }
    for (int i = -1; i < 103; i++) {
      boolean held = i >= 0 && i <= 100 && i % 2 == 0;
      assertThat(RawIdRange.anyContains(blocks, new RawId(HIGH + i, 0x8000000000000000L))).as("block %d", i).isEqualTo(held);
      assertThat(RawIdRange.anyContains(blocks, new RawId(HIGH + i, 0xBFFFFFFFFFFFFFFFL))).as("block %d", i).isEqualTo(held);
      assertThat(RawIdRange.anyContains(blocks, new RawId(HIGH + i, 0xC000000000000000L))).isFalse();
    }
    assertThat(RawIdRange.anyContains(List.of(), new RawId(HIGH, 0x8000000000000000L))).isFalse();
  }

  @Test
  void aCheckpointCoversUpToTheLastOfItsKeptRanges() {
    RawId mark = new RawId(HIGH, 0x8000000000000010L);
    RawIdRange block = RawIdRange.block(HIGH + 7);

    assertThat(new CheckpointStore.Checkpoint(mark, false).highestCovered()).isEqualTo(mark);
    assertThat(new CheckpointStore.Checkpoint(mark, false).keptAbove()).isEmpty();
    assertThat(new CheckpointStore.Checkpoint(mark, false, List.of(block, RawIdRange.block(HIGH + 3))).highestCovered())
        .isEqualTo(block.last());
  }

  /** Canonical lower-case UUID text orders as the 128-bit number: what a text column of raw ids relies on. */
  @Test
  void theTextOfRawIdsOrdersAsTheIds() {
    Random random = new Random(7);
    List<RawId> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(new RawId(random.nextLong(), random.nextLong()));
    }
    ids.add(new RawId(0x9fffffffffff7fffL, 0xBFFFFFFFFFFFFFFFL));
    ids.add(new RawId(0xa000000000007000L, 0x8000000000000000L));
    for (int i = 1; i < ids.size(); i++) {
      RawId a = ids.get(i - 1);
      RawId b = ids.get(i);
      assertThat(Integer.signum(a.toString().compareTo(b.toString()))).as("%s vs %s", a, b)
          .isEqualTo(Integer.signum(a.compareTo(b)));
      assertThat(RawId.parse(a.toString())).isEqualTo(a);
      assertThat(a.toString()).isEqualTo(new UUID(a.high(), a.low()).toString().toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Test
  void advancingMarksAloneRecordsEmptyKeptRanges() throws Exception {
    List<Map<Integer, CheckpointStore.Coverage>> recorded = new ArrayList<>();
    CheckpointStore store = new CheckpointStore() {
      @Override
      public List<java.util.Optional<Checkpoint>> load() {
        return List.of();
      }

      @Override
      public void begin(RawId floor) {
      }

      @Override
      public void advanceCoverage(Map<Integer, Coverage> coverage) {
        recorded.add(coverage);
      }

      @Override
      public void finish(RawId end) {
      }
    };
    RawId mark = new RawId(HIGH, 0x8000000000000001L);

    store.advance(Map.of(3, mark));

    assertThat(recorded).containsExactly(Map.of(3, new CheckpointStore.Coverage(mark, List.of())));
  }

  @Test
  void aStoreThatRecordsMarksOnlyRefusesKeptRangesNamingTheStream() throws Exception {
    List<Map<Integer, RawId>> recorded = new ArrayList<>();
    CheckpointStore marksOnly = new CheckpointStore() {
      @Override
      public List<java.util.Optional<Checkpoint>> load() {
        return List.of();
      }

      @Override
      public void begin(RawId floor) {
      }

      @Override
      public void advance(Map<Integer, RawId> marks) {
        recorded.add(marks);
      }

      @Override
      public void finish(RawId end) {
      }
    };
    RawId mark = new RawId(HIGH, 0x8000000000000001L);

    marksOnly.advanceCoverage(Map.of(1, new CheckpointStore.Coverage(mark, List.of())));
    assertThat(recorded).containsExactly(Map.of(1, mark));

    assertThatThrownBy(() -> marksOnly.advanceCoverage(
        Map.of(2, new CheckpointStore.Coverage(mark, List.of(RawIdRange.block(HIGH + 1))))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("stream 2").hasMessageContaining("marks only");
  }
}
