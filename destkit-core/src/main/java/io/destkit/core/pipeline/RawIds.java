package io.destkit.core.pipeline;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Generates random (version 4) UUIDs for {@code _airbyte_raw_id} without {@link SecureRandom} on
 * every record: one securely seeded generator per instance; use one instance per thread.
 */
final class RawIds {
  private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
  private long high;
  private long low;

  void next() {
    high = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
    low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
  }

  long high() {
    return high;
  }

  long low() {
    return low;
  }
}
