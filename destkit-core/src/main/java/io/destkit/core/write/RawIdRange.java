package io.destkit.core.write;

/** The raw ids from {@code first} to {@code last}, both included. */
public record RawIdRange(RawId first, RawId last) {
  public RawIdRange {
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException("A raw id range must not end (" + last + ") before it starts (" + first + ")");
    }
  }

  public boolean contains(RawId id) {
    return first.compareTo(id) <= 0 && id.compareTo(last) <= 0;
  }
}
