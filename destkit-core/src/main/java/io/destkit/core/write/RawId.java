package io.destkit.core.write;

import java.util.UUID;

/**
 * An {@code _airbyte_raw_id}: a version 7 UUID, strictly increasing in the order records are read,
 * so that "the rows after this record" is a range of raw ids. Ordered as unsigned 128-bit numbers,
 * which is the order of their text forms and of the databases' UUID types.
 */
public record RawId(long high, long low) implements Comparable<RawId> {
  /** The smallest id of a millisecond: every id generated at or after it is greater or equal. */
  public static RawId firstOf(long epochMillis) {
    return new RawId((epochMillis << 16) | 0x7000L, 0x8000000000000000L);
  }

  /** Parses the text form ({@code 0190a6c8-...}). */
  public static RawId parse(String text) {
    UUID uuid = UUID.fromString(text);
    return new RawId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
  }

  public static RawId max(RawId a, RawId b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }

  /** The millisecond the id was generated in (its first 48 bits). */
  public long epochMillis() {
    return high >>> 16;
  }

  @Override
  public int compareTo(RawId other) {
    int byHigh = Long.compareUnsigned(high, other.high);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
  }

  /** The text form, lower case, as stored in a text column. */
  @Override
  public String toString() {
    return new UUID(high, low).toString();
  }
}
