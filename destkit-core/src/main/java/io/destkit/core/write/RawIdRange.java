package io.destkit.core.write;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The raw ids from {@code first} to {@code last}, both included: in socket mode, the ids one run of
 * one partition on one socket took (a block: every id sharing one value of the UUID's high 64 bits,
 * see {@link #block}). A checkpoint keeps the ranges whose records its emitted STATEs cover although
 * they lie above its mark (see {@link CheckpointStore.Checkpoint#keptAbove}).
 *
 * <p>Stored as text ({@link #format}, {@link #parseList}): {@code first..last} in canonical UUID
 * text, ranges joined by {@code ,}; the empty list is the empty text.
 */
public record RawIdRange(RawId first, RawId last) {
  private static final String BETWEEN = "..";
  private static final String SEPARATOR = ",";
  /** The low 64 bits of a block's first id (variant bits {@code 10}, the rest zero) and of its last. */
  private static final long BLOCK_FIRST_LOW = 0x8000000000000000L;
  private static final long BLOCK_LAST_LOW = 0xBFFFFFFFFFFFFFFFL;

  public RawIdRange {
    if (first == null || last == null) {
      throw new IllegalArgumentException("A raw id range needs its first and last id (got " + first + ".." + last + ")");
    }
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException("A raw id range's first id " + first + " is above its last " + last);
    }
  }

  /** Every version 7 id whose high 64 bits are {@code high}: the block one partition's run takes. */
  public static RawIdRange block(long high) {
    return new RawIdRange(new RawId(high, BLOCK_FIRST_LOW), new RawId(high, BLOCK_LAST_LOW));
  }

  /** Whether the id is in the range (bounds included). */
  public boolean contains(RawId id) {
    return first.compareTo(id) <= 0 && id.compareTo(last) <= 0;
  }

  /**
   * Whether one of the ranges holds the id; {@code ascending} as {@link #above} returns them (sorted
   * by first id, disjoint). A binary search.
   */
  public static boolean anyContains(List<RawIdRange> ascending, RawId id) {
    int low = 0;
    int high = ascending.size() - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      RawIdRange range = ascending.get(middle);
      if (id.compareTo(range.first) < 0) {
        high = middle - 1;
      } else if (id.compareTo(range.last) > 0) {
        low = middle + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** {@code first..last}. */
  @Override
  public String toString() {
    return first + BETWEEN + last;
  }

  /** Parses {@code first..last} ({@link #toString}); the error names the text at fault. */
  public static RawIdRange parse(String text) {
    int between = text.indexOf(BETWEEN);
    if (between < 0) {
      throw new IllegalArgumentException("Raw id range '" + text + "' is not of the form first..last");
    }
    RawId first = parseId(text, text.substring(0, between).strip(), "first");
    RawId last = parseId(text, text.substring(between + BETWEEN.length()).strip(), "last");
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException("Raw id range '" + text + "': its first id is above its last");
    }
    return new RawIdRange(first, last);
  }

  private static RawId parseId(String range, String id, String which) {
    try {
      if (id.length() != 36) {
        throw new IllegalArgumentException("a UUID has 36 characters, this has " + id.length());
      }
      return RawId.parse(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Raw id range '" + range + "': its " + which + " id '" + id + "' is not a UUID (" + e.getMessage() + ")", e);
    }
  }

  /** The stored text of a list of ranges: each {@code first..last}, joined by {@code ,}. */
  public static String format(List<RawIdRange> ranges) {
    StringBuilder text = new StringBuilder(ranges.size() * 74);
    for (RawIdRange range : ranges) {
      if (!text.isEmpty()) {
        text.append(SEPARATOR);
      }
      text.append(range);
    }
    return text.toString();
  }

  /**
   * Parses the text {@link #format} wrote; null or blank is the empty list. A range that does not
   * parse fails naming its position and text.
   */
  public static List<RawIdRange> parseList(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    String[] parts = text.split(SEPARATOR, -1);
    List<RawIdRange> ranges = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length; i++) {
      try {
        ranges.add(parse(parts[i].strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Kept raw id range " + (i + 1) + " of " + parts.length + ": "
            + e.getMessage(), e);
      }
    }
    return List.copyOf(ranges);
  }

  /**
   * The ranges above {@code mark}, in order, with overlapping or adjacent ones joined and the parts at
   * or below the mark left out (the mark already covers those): the form the removal works on.
   */
  public static List<RawIdRange> above(RawId mark, List<RawIdRange> ranges) {
    List<RawIdRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparing(RawIdRange::first));
    List<RawIdRange> joined = new ArrayList<>();
    for (RawIdRange range : sorted) {
      if (range.last.compareTo(mark) <= 0) {
        continue;
      }
      RawIdRange clipped = range.first.compareTo(mark) > 0 ? range : new RawIdRange(next(mark), range.last);
      if (!joined.isEmpty()) {
        RawIdRange previous = joined.get(joined.size() - 1);
        if (clipped.first.compareTo(previous.last) <= 0 || clipped.first.equals(next(previous.last))) {
          joined.set(joined.size() - 1, new RawIdRange(previous.first, RawId.max(previous.last, clipped.last)));
          continue;
        }
      }
      joined.add(clipped);
    }
    return List.copyOf(joined);
  }

  /** The id right after {@code id} (as unsigned 128-bit numbers); the largest id has no successor, it stays. */
  private static RawId next(RawId id) {
    if (id.low() != -1L) {
      return new RawId(id.high(), id.low() + 1);
    }
    return id.high() == -1L ? id : new RawId(id.high() + 1, 0L);
  }
}
