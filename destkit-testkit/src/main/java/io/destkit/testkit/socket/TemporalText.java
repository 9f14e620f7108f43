package io.destkit.testkit.socket;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the date, time and date-time texts of JSON messages into the typed values a source holds:
 * {@code yyyy-MM-dd}; a time {@code HH:mm[:ss[.fraction]]} (digits beyond nanoseconds dropped);
 * a date-time joins them with {@code T}, {@code t} or a space; an optional offset after a time,
 * possibly after a space: {@code Z}, {@code ±H}, {@code ±HH}, {@code ±HHMM}, {@code ±HHMMSS}, or
 * the same with colons. A type with a zone takes UTC when the text has no offset; a type without
 * one drops an offset the text has. Empty when the text is none of these.
 */
final class TemporalText {
  private static final String DATE = "(\\d{4})-(\\d{2})-(\\d{2})";
  private static final String TIME = "(\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?";
  private static final String OFFSET = "(?: ?([Zz]|[+-]\\d{1,2}(?::?\\d{2}(?::?\\d{2})?)?))?";
  private static final Pattern DATE_ONLY = Pattern.compile(DATE);
  private static final Pattern TIME_ONLY = Pattern.compile(TIME + OFFSET);
  private static final Pattern DATE_TIME = Pattern.compile(DATE + "[Tt ]" + TIME + OFFSET);

  private TemporalText() {}

  /** A date, or the date of a date-time. */
  static Optional<LocalDate> date(String text) {
    Matcher m = DATE_ONLY.matcher(text);
    if (m.matches()) {
      return attempt(() -> date(m, 1));
    }
    return dateTime(text).map(OffsetDateTime::toLocalDate);
  }

  static Optional<LocalTime> localTime(String text) {
    return offsetTime(text).map(OffsetTime::toLocalTime);
  }

  static Optional<OffsetTime> offsetTime(String text) {
    Matcher m = TIME_ONLY.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return attempt(() -> OffsetTime.of(time(m, 1), offset(m.group(5))));
  }

  static Optional<LocalDateTime> localDateTime(String text) {
    return dateTime(text).map(OffsetDateTime::toLocalDateTime);
  }

  /** The date-time with its offset as written (UTC when none). */
  static Optional<OffsetDateTime> dateTime(String text) {
    Matcher m = DATE_TIME.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return attempt(() -> OffsetDateTime.of(LocalDateTime.of(date(m, 1), time(m, 4)), offset(m.group(8))));
  }

  private interface Reading<T> {
    T read();
  }

  private static <T> Optional<T> attempt(Reading<T> reading) {
    try {
      return Optional.of(reading.read());
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static LocalDate date(Matcher m, int group) {
    return LocalDate.of(
        Integer.parseInt(m.group(group)), Integer.parseInt(m.group(group + 1)), Integer.parseInt(m.group(group + 2)));
  }

  private static LocalTime time(Matcher m, int group) {
    int seconds = m.group(group + 2) == null ? 0 : Integer.parseInt(m.group(group + 2));
    String fraction = m.group(group + 3);
    int nanos = 0;
    if (fraction != null) {
      String nine = (fraction.length() > 9 ? fraction.substring(0, 9) : fraction + "000000000").substring(0, 9);
      nanos = Integer.parseInt(nine);
    }
    return LocalTime.of(Integer.parseInt(m.group(group)), Integer.parseInt(m.group(group + 1)), seconds, nanos);
  }

  private static ZoneOffset offset(String text) {
    if (text == null || text.equalsIgnoreCase("z")) {
      return ZoneOffset.UTC;
    }
    int sign = text.charAt(0) == '-' ? -1 : 1;
    String body = text.substring(1);
    int hours;
    int minutes = 0;
    int seconds = 0;
    if (body.contains(":")) {
      String[] parts = body.split(":");
      hours = Integer.parseInt(parts[0]);
      minutes = Integer.parseInt(parts[1]);
      seconds = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
    } else if (body.length() <= 2) {
      hours = Integer.parseInt(body);
    } else if (body.length() == 4 || body.length() == 6) {
      hours = Integer.parseInt(body.substring(0, 2));
      minutes = Integer.parseInt(body.substring(2, 4));
      seconds = body.length() == 6 ? Integer.parseInt(body.substring(4, 6)) : 0;
    } else {
      throw new DateTimeException("not an offset: " + text);
    }
    return ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds);
  }
}
