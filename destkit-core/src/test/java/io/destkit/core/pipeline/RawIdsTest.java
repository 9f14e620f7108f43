package io.destkit.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.write.RawId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RawIdsTest {
  @Test
  void idsAreVersion7AndStrictlyIncreasing() {
    RawIds ids = new RawIds();
    RawId previous = null;
    for (int i = 0; i < 10_000; i++) {
      ids.next();
      RawId id = new RawId(ids.high(), ids.low());
      assertThat(new UUID(ids.high(), ids.low()).version()).isEqualTo(7);
      if (previous != null) {
        assertThat(id).isGreaterThan(previous);
      }
      previous = id;
    }
  }

  @Test
  void idsStartAboveAFloorEvenWhenTheClockIsBehindIt() {
    // A floor an hour ahead of this clock: an earlier attempt ran on a machine whose clock was ahead.
    RawId floor = RawId.parse(new UUID(((System.currentTimeMillis() + 3_600_000L) << 16) | 0x7ABCL,
        0x8000000000000000L | 0x3FFFFFFFFFFFFFF0L).toString());
    RawIds ids = new RawIds(floor);
    RawId previous = floor;
    for (int i = 0; i < 100; i++) {
      ids.next();
      RawId id = new RawId(ids.high(), ids.low());
      assertThat(id).isGreaterThan(previous);
      assertThat(new UUID(ids.high(), ids.low()).version()).isEqualTo(7);
      assertThat(new UUID(ids.high(), ids.low()).variant()).isEqualTo(2);
      previous = id;
    }
  }

  @Test
  void rawIdsOrderAsTheirTextFormsDo() {
    RawId small = RawId.parse("019a0000-0000-7000-8000-000000000001");
    RawId large = RawId.parse("f19a0000-0000-7000-8000-000000000000");
    assertThat(small).isLessThan(large);
    assertThat(small.toString().compareTo(large.toString())).isNegative();
    assertThat(RawId.max(small, large)).isEqualTo(large);
    assertThat(RawId.max(null, small)).isEqualTo(small);
    assertThat(RawId.firstOf(small.epochMillis())).isLessThanOrEqualTo(small);
  }
}
