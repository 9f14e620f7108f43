package io.destkit.core.typing;

/**
 * A hand-written, allocation-free reader of ISO-like date, date-time and time text, straight from
 * the parser's character buffer. One instance per coercer: a successful parse leaves the fields
 * below set for the caller to build its {@code java.time} value from.
 *
 * <p>Accepted: {@code yyyy-MM-dd} (years 0001-9999); a date-time joins a date and a time with
 * {@code T}, {@code t} or a space; a time is {@code HH:mm}, optionally {@code :ss}, optionally a
 * fraction ({@code .} or {@code ,} and at least one digit; digits beyond nanoseconds are dropped,
 * and {@link #fractionCut} tells whether one of them was not zero);
 * then optionally an offset, possibly after one space: {@code Z}, {@code ±H}, {@code ±HH}, {@code
 * ±HHMM}, {@code ±HHMMSS}, {@code ±H:MM}, {@code ±HH:MM} or {@code ±HH:MM:SS}, at most 18 hours.
 * No surrounding whitespace, no era, no zone names.
 */
final class DateTimeText {
  private static final int MAX_OFFSET_SECONDS = 18 * 3600;
  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  int year;
  int month;
  int day;
  int hour;
  int minute;
  int second;
  int nano;
  /** Whether the time's fraction had a non-zero digit beyond nanoseconds (dropped). */
  boolean fractionCut;
  /** Zero when the text had no offset. */
  int offsetSeconds;

  boolean hasOffset;

  /** Reads exactly a date. */
  boolean parseDate(char[] text, int offset, int length) {
    return readDate(text, offset, offset + length) == offset + length;
  }

  /** Reads a date, a separator, a time and an optional offset. */
  boolean parseDateTime(char[] text, int offset, int length) {
    int end = offset + length;
    int p = readDate(text, offset, end);
    if (p < 0 || p >= end) {
      return false;
    }
    char separator = text[p];
    if (separator != 'T' && separator != 't' && separator != ' ') {
      return false;
    }
    p = readTime(text, p + 1, end);
    return p >= 0 && readOffset(text, p, end);
  }

  /** Reads a time and an optional offset. */
  boolean parseTime(char[] text, int offset, int length) {
    int end = offset + length;
    int p = readTime(text, offset, end);
    return p >= 0 && readOffset(text, p, end);
  }

  /** Seconds since 1970-01-01T00:00:00Z of the parsed date-time, its offset applied. */
  long epochSecond() {
    return daysSinceEpoch(year, month, day) * 86_400L
        + hour * 3600L
        + minute * 60L
        + second
        - offsetSeconds;
  }

  /** Returns the position after the date, or -1. */
  private int readDate(char[] t, int p, int end) {
    if (end - p < 10 || t[p + 4] != '-' || t[p + 7] != '-') {
      return -1;
    }
    int y = digits(t, p, 4);
    int m = digits(t, p + 5, 2);
    int d = digits(t, p + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > lengthOfMonth(y, m)) {
      return -1;
    }
    year = y;
    month = m;
    day = d;
    return p + 10;
  }

  /** Returns the position after the time, or -1. */
  private int readTime(char[] t, int p, int end) {
    if (end - p < 5 || t[p + 2] != ':') {
      return -1;
    }
    int h = digits(t, p, 2);
    int m = digits(t, p + 3, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59) {
      return -1;
    }
    p += 5;
    int s = 0;
    int n = 0;
    boolean cut = false;
    if (p < end && t[p] == ':') {
      s = end - p >= 3 ? digits(t, p + 1, 2) : -1;
      if (s < 0 || s > 59) {
        return -1;
      }
      p += 3;
      if (p < end && (t[p] == '.' || t[p] == ',')) {
        p++;
        int start = p;
        while (p < end && isDigit(t[p])) {
          if (p - start < 9) {
            n = n * 10 + (t[p] - '0');
          } else if (t[p] != '0') {
            cut = true;
          }
          p++;
        }
        int count = p - start;
        if (count == 0) {
          return -1;
        }
        if (count < 9) {
          n *= POWERS_OF_TEN[9 - count];
        }
      }
    }
    hour = h;
    minute = m;
    second = s;
    nano = n;
    fractionCut = cut;
    return p;
  }

  private boolean readOffset(char[] t, int p, int end) {
    hasOffset = false;
    offsetSeconds = 0;
    if (p == end) {
      return true;
    }
    if (t[p] == ' ' && p + 1 < end) {
      p++;
    }
    char c = t[p];
    if (c == 'Z' || c == 'z') {
      hasOffset = true;
      return p + 1 == end;
    }
    if (c != '+' && c != '-') {
      return false;
    }
    int sign = c == '-' ? -1 : 1;
    p++;
    int run = 0;
    while (p + run < end && isDigit(t[p + run])) {
      run++;
    }
    int hours;
    int minutes = 0;
    int seconds = 0;
    if (p + run < end) {
      // ±H:MM or ±HH:MM, optionally :SS
      if (run < 1 || run > 2 || t[p + run] != ':') {
        return false;
      }
      hours = digits(t, p, run);
      p += run;
      int rest = end - p;
      if (rest != 3 && rest != 6) {
        return false;
      }
      minutes = digits(t, p + 1, 2);
      if (rest == 6) {
        seconds = t[p + 3] == ':' ? digits(t, p + 4, 2) : -1;
      }
    } else if (run == 1 || run == 2) {
      hours = digits(t, p, run);
    } else if (run == 4 || run == 6) {
      hours = digits(t, p, 2);
      minutes = digits(t, p + 2, 2);
      seconds = run == 6 ? digits(t, p + 4, 2) : 0;
    } else {
      return false;
    }
    if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
      return false;
    }
    int total = hours * 3600 + minutes * 60 + seconds;
    if (total > MAX_OFFSET_SECONDS) {
      return false;
    }
    hasOffset = true;
    offsetSeconds = sign * total;
    return true;
  }

  /** The value of {@code count} decimal digits, or -1 when one is not a digit. */
  private static int digits(char[] t, int p, int count) {
    int value = 0;
    for (int i = p; i < p + count; i++) {
      char c = t[i];
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int lengthOfMonth(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        return leap ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
  private static long daysSinceEpoch(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }
}
