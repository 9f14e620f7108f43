package io.destkit.core.pipeline;

import io.destkit.core.write.RawId;
import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Generates time-ordered (version 7) UUIDs for {@code _airbyte_raw_id}, strictly increasing per
 * instance, so that ordering rows by raw id gives their arrival order: dedupe uses it as the last
 * tie-break (after cursor and extraction time). Within a millisecond, and when the clock goes back,
 * the random bits count up (RFC 9562 §6.2, monotonic random); a generator started above a floor
 * (the highest raw id an earlier attempt may have written) stays above it. One securely seeded generator per instance; use one
 * instance per thread.
 */
final class RawIds {
  private static final long VERSION_7 = 0x7000L;
  private static final long VARIANT = 0x8000000000000000L;
  private static final long LOW_RANDOM = 0x3FFFFFFFFFFFFFFFL;

  private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
  private long millis = Long.MIN_VALUE;
  /** The 12 bits after the version: random at a new millisecond, with the top bit clear to leave room to count. */
  private long counterHigh;
  /** The 62 random bits after the variant. */
  private long counterLow;
  private long high;
  private long low;

  /** Ids from the current time on. */
  RawIds() {
  }

  /** Ids strictly greater than {@code floor} (when the clock is behind it, they count up from it). */
  RawIds(RawId floor) {
    if (floor != null) {
      millis = floor.epochMillis();
      counterHigh = floor.high() & 0xFFF;
      counterLow = floor.low() & LOW_RANDOM;
    }
  }

  void next() {
    long now = System.currentTimeMillis();
    if (now > millis) {
      millis = now;
      counterHigh = random.nextInt(0x800);
      counterLow = random.nextLong() & LOW_RANDOM;
    } else if (counterLow < LOW_RANDOM) {
      counterLow++;
    } else {
      counterLow = 0;
      if (++counterHigh > 0xFFF) {
        counterHigh = 0;
        millis++;
      }
    }
    high = (millis << 16) | VERSION_7 | counterHigh;
    low = VARIANT | counterLow;
  }

  long high() {
    return high;
  }

  long low() {
    return low;
  }
}
