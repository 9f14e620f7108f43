package io.destkit.postgres;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;

/**
 * Encodes rows in COPY's text format, straight into UTF-8 bytes: columns separated by tabs, rows
 * ended by a newline, NULL as {@code \N}; backslash, newline, carriage return and tab inside a
 * value are escaped with a backslash. Full buffers go to the {@link Output} as they fill, so a
 * batch is never held twice in memory. Not thread-safe: one per load.
 */
final class CopyTextEncoder implements CopyEncoder {
  static final int BUFFER_BYTES = 64 * 1024;
  /** The most bytes one character can take once escaped or encoded. */
  private static final int MAX_CHAR_BYTES = Utf8.MAX_CHAR_BYTES;

  private final Output output;
  private final byte[] buffer;
  private int length;
  private boolean firstColumn = true;

  CopyTextEncoder(Output output) {
    this(output, BUFFER_BYTES);
  }

  CopyTextEncoder(Output output, int bufferBytes) {
    this.output = output;
    this.buffer = new byte[Math.max(64, bufferBytes)];
  }

  @Override
  public void startRow() {}

  @Override
  public void endRow() throws SQLException {
    ensure(1);
    buffer[length++] = '\n';
    firstColumn = true;
  }

  @Override
  public void finish() throws SQLException {
    flush();
  }

  /** Sends what is buffered. */
  void flush() throws SQLException {
    if (length > 0) {
      output.write(buffer, 0, length);
      length = 0;
    }
  }

  @Override
  public void rawId(long high, long low) throws SQLException {
    startColumn(36);
    length = Utf8.uuid(high, low, buffer, length);
  }

  @Override
  public void extractedAt(long epochMillis) throws SQLException {
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    long millisOfDay = Math.floorMod(epochMillis, 86_400_000L);
    // Civil date from days since 1970-01-01 (proleptic Gregorian), as in java.time.LocalDate.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shifted = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * shifted + 2) / 5 + 1);
    int month = (int) (shifted < 10 ? shifted + 3 : shifted - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    int seconds = (int) (millisOfDay / 1000);
    startColumn(48);
    dateTime(year, month, day, seconds / 3600, seconds / 60 % 60, seconds % 60, (int) (millisOfDay % 1000) * 1_000_000);
    ascii("+00");
    era(year);
  }

  @Override
  public void meta(String json) throws SQLException {
    string(PostgresValueLimits.withoutJsonNul(json));
  }

  @Override
  public void generationId(long generationId) throws SQLException {
    integer(generationId);
  }

  @Override
  public void nullValue() throws SQLException {
    startColumn(2);
    buffer[length++] = '\\';
    buffer[length++] = 'N';
  }

  /**
   * Escapes and encodes text. A lone surrogate becomes {@code ?} (as Java's own encoder does).
   *
   * @throws SQLException for U+0000, which no PostgreSQL text can hold (the value limits remove it)
   */
  @Override
  public void string(String value) throws SQLException {
    startColumn(0);
    int n = value.length();
    for (int i = 0; i < n; i++) {
      if (length + MAX_CHAR_BYTES > buffer.length) {
        flushBuffer();
      }
      char c = value.charAt(i);
      if (c < 0x80) {
        switch (c) {
          case '\\' -> escape('\\');
          case '\n' -> escape('n');
          case '\r' -> escape('r');
          case '\t' -> escape('t');
          case '\u0000' -> throw new SQLException(
              "a text value holds U+0000, which PostgreSQL cannot store; it should have been removed before the load");
          default -> buffer[length++] = (byte) c;
        }
      } else {
        length = Utf8.encodeNonAscii(value, i, n, buffer, length);
        if (Utf8.isPair(value, i, n)) {
          i++;
        }
      }
    }
  }

  @Override
  public void integer(long value) throws SQLException {
    startColumn(20);
    if (value == Long.MIN_VALUE) {
      ascii("-9223372036854775808");
      return;
    }
    if (value < 0) {
      buffer[length++] = '-';
      value = -value;
    }
    digits(value, 1);
  }

  @Override
  public void number(BigDecimal value) throws SQLException {
    // Plain digits, which every PostgreSQL version reads; the value limits bound their number.
    string(value.toPlainString());
  }

  @Override
  public void bool(boolean value) throws SQLException {
    startColumn(1);
    buffer[length++] = (byte) (value ? 't' : 'f');
  }

  @Override
  public void date(LocalDate value) throws SQLException {
    startColumn(20);
    date(value.getYear(), value.getMonthValue(), value.getDayOfMonth());
    era(value.getYear());
  }

  @Override
  public void timestampWithTimezone(OffsetDateTime value) throws SQLException {
    startColumn(48);
    dateTime(value.getYear(), value.getMonthValue(), value.getDayOfMonth(), value.getHour(), value.getMinute(),
        value.getSecond(), value.getNano());
    offset(value.getOffset().getTotalSeconds());
    era(value.getYear());
  }

  @Override
  public void timestampWithoutTimezone(LocalDateTime value) throws SQLException {
    startColumn(40);
    dateTime(value.getYear(), value.getMonthValue(), value.getDayOfMonth(), value.getHour(), value.getMinute(),
        value.getSecond(), value.getNano());
    era(value.getYear());
  }

  @Override
  public void timeWithTimezone(OffsetTime value) throws SQLException {
    startColumn(28);
    time(value.getHour(), value.getMinute(), value.getSecond(), value.getNano());
    offset(value.getOffset().getTotalSeconds());
  }

  @Override
  public void timeWithoutTimezone(LocalTime value) throws SQLException {
    startColumn(18);
    time(value.getHour(), value.getMinute(), value.getSecond(), value.getNano());
  }

  /** Writes the column separator and makes room for {@code bytes} more (0 when the value checks its own room). */
  private void startColumn(int bytes) throws SQLException {
    ensure(bytes + 1);
    if (firstColumn) {
      firstColumn = false;
    } else {
      buffer[length++] = '\t';
    }
  }

  private void ensure(int bytes) throws SQLException {
    if (length + bytes > buffer.length) {
      flushBuffer();
    }
  }

  private void flushBuffer() throws SQLException {
    output.write(buffer, 0, length);
    length = 0;
  }

  private void escape(char c) {
    buffer[length++] = '\\';
    buffer[length++] = (byte) c;
  }

  private void ascii(String text) {
    for (int i = 0; i < text.length(); i++) {
      buffer[length++] = (byte) text.charAt(i);
    }
  }


  /** Writes a non-negative number with at least {@code width} digits. */
  private void digits(long value, int width) {
    int count = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      count++;
    }
    count = Math.max(count, width);
    for (int i = count - 1; i >= 0; i--) {
      buffer[length + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += count;
  }

  /** An ISO year in PostgreSQL's terms: year 0 is 1 BC, -1 is 2 BC (the era is written after the value). */
  private void date(long year, int month, int day) {
    digits(year > 0 ? year : 1 - year, 4);
    buffer[length++] = '-';
    digits(month, 2);
    buffer[length++] = '-';
    digits(day, 2);
  }

  private void dateTime(long year, int month, int day, int hour, int minute, int second, int nano) {
    date(year, month, day);
    buffer[length++] = ' ';
    time(hour, minute, second, nano);
  }

  /** HH:MM:SS and the fraction without trailing zeros; PostgreSQL rounds to microseconds. */
  private void time(int hour, int minute, int second, int nano) {
    digits(hour, 2);
    buffer[length++] = ':';
    digits(minute, 2);
    buffer[length++] = ':';
    digits(second, 2);
    if (nano > 0) {
      int width = 9;
      while (nano % 10 == 0) {
        nano /= 10;
        width--;
      }
      buffer[length++] = '.';
      digits(nano, width);
    }
  }

  private void offset(int totalSeconds) {
    buffer[length++] = (byte) (totalSeconds < 0 ? '-' : '+');
    int seconds = Math.abs(totalSeconds);
    digits(seconds / 3600, 2);
    buffer[length++] = ':';
    digits(seconds / 60 % 60, 2);
    if (seconds % 60 != 0) {
      buffer[length++] = ':';
      digits(seconds % 60, 2);
    }
  }

  private void era(long year) {
    if (year <= 0) {
      ascii(" BC");
    }
  }
}
