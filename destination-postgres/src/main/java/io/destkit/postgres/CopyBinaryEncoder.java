package io.destkit.postgres;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.sql.TargetLayout;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.ColumnVectors;
import io.destkit.sql.AirbyteMeta;
import java.math.BigDecimal;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Encodes rows in COPY's binary format: the {@code PGCOPY} header, per row a 16-bit field count and
 * per field a 32-bit length (-1 for NULL) and the value in PostgreSQL's binary send format of the
 * column's type, then a -1 trailer. Every value must match its column's type exactly (the server
 * casts nothing), so the encoder knows each column's type and refuses a value of another kind.
 * Bytes go to the {@link CopyEncoder.Output} in chunks of the buffer's size. Not thread-safe: one per load.
 */
final class CopyBinaryEncoder implements CopyEncoder {
  static final int BUFFER_BYTES = 256 * 1024;

  /** The column types of the binary format, by the dialect's type names. */
  enum Kind {
    TEXT,
    JSONB,
    INT8,
    NUMERIC,
    BOOL,
    DATE,
    TIMESTAMPTZ,
    TIMESTAMP,
    TIMETZ,
    TIME,
    /** A column the stream does not fill: only NULL. */
    ABSENT;

    /** The kind of a PostgreSQL type name (the dialect's spelling, or a synonym), or null when unsupported. */
    static Kind of(String type) {
      return switch (type) {
        case "varchar", "text", "character varying" -> TEXT;
        case "jsonb" -> JSONB;
        case "bigint", "int8" -> INT8;
        case "numeric", "decimal" -> NUMERIC;
        case "boolean", "bool" -> BOOL;
        case "date" -> DATE;
        case "timestamptz" -> TIMESTAMPTZ;
        case "timestamp" -> TIMESTAMP;
        case "timetz" -> TIMETZ;
        case "time" -> TIME;
        default -> null;
      };
    }
  }

  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
  /** 2000-01-01, PostgreSQL's epoch, in days and microseconds since 1970-01-01. */
  private static final long PG_EPOCH_DAYS = 10_957;
  private static final long PG_EPOCH_SECONDS = PG_EPOCH_DAYS * 86_400;
  private static final long PG_EPOCH_MICROS = PG_EPOCH_SECONDS * 1_000_000;
  private static final short NUMERIC_POS = 0x0000;
  private static final short NUMERIC_NEG = 0x4000;
  private static final int NUMERIC_MAX_DSCALE = 0x3FFF;
  private static final long[] POW10 = {1, 10, 100, 1000};

  private final Output output;
  private final Kind[] kinds;
  private byte[] buffer;
  private int length;
  private int column;
  /** Base-10000 digits of a numeric, least significant first. */
  private short[] groups = new short[8];

  /**
   * @param kinds each table column's kind, in table order
   * @param buffer the byte buffer to fill (reused across loads); grown when one value does not fit
   */
  CopyBinaryEncoder(Output output, Kind[] kinds, byte[] buffer) throws SQLException {
    this.output = output;
    this.kinds = kinds.clone();
    this.buffer = buffer.length >= 64 ? buffer : new byte[64];
    putBytes(SIGNATURE);
    putInt(0); // flags: no OIDs
    putInt(0); // header extension length
  }

  CopyBinaryEncoder(Output output, Kind[] kinds) throws SQLException {
    this(output, kinds, new byte[BUFFER_BYTES]);
  }

  /**
   * The kind of each column of a layout, by the dialect's types (meta columns by {@code
   * metaColumnType}), or null when a column's type has no binary encoding here.
   */
  static Kind[] kinds(TargetLayout layout, PostgresDialect dialect) {
    Kind[] kinds = new Kind[layout.size()];
    for (int i = 0; i < kinds.length; i++) {
      int source = layout.source(i);
      if (source == TargetLayout.ABSENT) {
        kinds[i] = Kind.ABSENT;
        continue;
      }
      ColumnDef user = layout.userColumn(i);
      String type = user != null ? dialect.columnType(user.type()) : dialect.metaColumnType(layout.columnName(i));
      kinds[i] = Kind.of(type);
      if (kinds[i] == null) {
        return null;
      }
    }
    return kinds;
  }

  /**
   * Encodes every record of a batch held by column, reading the vectors directly: no Java object
   * per value for integers, booleans, dates, times and timestamps, and text copied as the UTF-8
   * bytes it already is. {@code progress} runs every {@value #PROGRESS_EVERY} rows.
   */
  void rows(BatchColumns columns, TargetLayout layout, AirbyteMeta meta, long generationId, Runnable progress)
      throws SQLException {
    int[] sources = new int[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      sources[i] = layout.source(i);
    }
    String noChanges = meta.render(null);
    for (int row = 0; row < columns.size(); row++) {
      if (row % PROGRESS_EVERY == 0) {
        progress.run();
      }
      startRow();
      for (int position = 0; position < sources.length; position++) {
        int source = sources[position];
        switch (source) {
          case TargetLayout.RAW_ID -> rawId(columns.rawIdHigh(row), columns.rawIdLow(row));
          case TargetLayout.EXTRACTED_AT -> extractedAt(columns.extractedAtMillis(row));
          case TargetLayout.META -> {
            String changes = columns.changes(row);
            meta(changes == null ? noChanges : meta.render(changes));
          }
          case TargetLayout.GENERATION_ID -> generationId(generationId);
          case TargetLayout.ABSENT -> nullValue();
          default -> value(columns.vector(source), columns.kind(source), row);
        }
      }
      endRow();
    }
  }

  private static final int PROGRESS_EVERY = 256;

  /** One value from its vector; a combination without a direct path goes through its Java value. */
  private void value(FieldVector vector, ColumnVectors.Kind kind, int row) throws SQLException {
    if (vector.isNull(row)) {
      nullValue();
      return;
    }
    Kind target = column < kinds.length ? kinds[column] : null;
    if (kind == ColumnVectors.Kind.TEXT && (target == Kind.TEXT || target == Kind.JSONB)) {
      column++;
      text((VarCharVector) vector, row, target == Kind.JSONB);
    } else if (kind == ColumnVectors.Kind.INTEGER && target == Kind.INT8) {
      integer(((BigIntVector) vector).get(row));
    } else if (kind == ColumnVectors.Kind.TIMESTAMP_WITH_TIMEZONE && target == Kind.TIMESTAMPTZ) {
      column++;
      int8Value(((TimeStampMicroTZVector) vector).get(row) - PG_EPOCH_MICROS);
    } else if (kind == ColumnVectors.Kind.TIMESTAMP_WITHOUT_TIMEZONE && target == Kind.TIMESTAMP) {
      column++;
      int8Value(((TimeStampMicroVector) vector).get(row) - PG_EPOCH_MICROS);
    } else if (kind == ColumnVectors.Kind.DATE && target == Kind.DATE) {
      column++;
      ensure(8);
      putInt(4);
      putInt((int) (((DateDayVector) vector).get(row) - PG_EPOCH_DAYS));
    } else if (kind == ColumnVectors.Kind.BOOLEAN && target == Kind.BOOL) {
      bool(((BitVector) vector).get(row) != 0);
    } else {
      TargetLayout.writeValue(ColumnVectors.get(vector, kind, row), this);
    }
  }

  /** An 8-byte value with its length. */
  private void int8Value(long value) throws SQLException {
    ensure(12);
    putInt(8);
    putLong(value);
  }

  /**
   * UTF-8 text straight from a vector, for a jsonb column after jsonb's version byte.
   *
   * @throws SQLException for a zero byte (U+0000), which no PostgreSQL text can hold
   */
  private void text(VarCharVector vector, int row, boolean jsonb) throws SQLException {
    long start = vector.getStartOffset(row);
    int bytes = (int) (vector.getEndOffset(row) - start);
    int prefix = jsonb ? 1 : 0;
    ensure(4 + prefix);
    putInt(bytes + prefix);
    if (jsonb) {
      buffer[length++] = 1;
    }
    ArrowBuf data = vector.getDataBuffer();
    int copied = 0;
    while (copied < bytes) {
      if (length == buffer.length) {
        flushBuffer();
      }
      int chunk = Math.min(bytes - copied, buffer.length - length);
      data.getBytes(start + copied, buffer, length, chunk);
      for (int i = length; i < length + chunk; i++) {
        if (buffer[i] == 0) {
          throw new SQLException(
              "a text value holds U+0000, which PostgreSQL cannot store; it should have been removed before the load");
        }
      }
      length += chunk;
      copied += chunk;
    }
  }

  /** The buffer in use, to reuse for the next load. */
  byte[] buffer() {
    return buffer;
  }

  @Override
  public void startRow() throws SQLException {
    ensure(2);
    putShort(kinds.length);
    column = 0;
  }

  @Override
  public void endRow() throws SQLException {
    if (column != kinds.length) {
      throw new SQLException("binary COPY row has " + column + " values for " + kinds.length + " columns");
    }
  }

  @Override
  public void finish() throws SQLException {
    ensure(2);
    putShort(-1);
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
    expect(Kind.TEXT, "an id");
    ensure(40);
    putInt(36);
    length = Utf8.uuid(high, low, buffer, length);
  }

  @Override
  public void extractedAt(long epochMillis) throws SQLException {
    expect(Kind.TIMESTAMPTZ, "an extraction time");
    int8Value(epochMillis * 1000 - PG_EPOCH_MICROS);
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
    if (column >= kinds.length) {
      throw new SQLException("binary COPY row has more values than its " + kinds.length + " columns");
    }
    column++;
    ensure(4);
    putInt(-1);
  }

  /**
   * UTF-8 text, for a text column as is, for a jsonb column after jsonb's version byte (1). A lone
   * surrogate becomes {@code ?} (as Java's own encoder does).
   *
   * @throws SQLException for U+0000, which no PostgreSQL text can hold (the value limits remove it)
   */
  @Override
  public void string(String value) throws SQLException {
    Kind kind = next("a string");
    int prefix;
    if (kind == Kind.JSONB) {
      prefix = 1;
    } else if (kind == Kind.TEXT) {
      prefix = 0;
    } else {
      throw mismatch(kind, "a string");
    }
    int n = value.length();
    long most = (long) n * 3 + prefix + 4;
    if (most <= buffer.length) {
      // The whole value fits: encode it and write its length before it once known.
      ensure((int) most);
      int lengthAt = length;
      length += 4;
      if (prefix == 1) {
        buffer[length++] = 1;
      }
      encode(value, 0, n, false);
      int bytes = length - lengthAt - 4;
      buffer[lengthAt] = (byte) (bytes >>> 24);
      buffer[lengthAt + 1] = (byte) (bytes >>> 16);
      buffer[lengthAt + 2] = (byte) (bytes >>> 8);
      buffer[lengthAt + 3] = (byte) bytes;
    } else {
      // Larger than the buffer: count its bytes first, then stream them through the buffer.
      long bytes = Utf8.length(value) + prefix;
      if (bytes > Integer.MAX_VALUE) {
        throw new SQLException("a text value of " + bytes + " bytes is beyond what COPY can carry");
      }
      ensure(5);
      putInt((int) bytes);
      if (prefix == 1) {
        buffer[length++] = 1;
      }
      encode(value, 0, n, true);
    }
  }

  @Override
  public void integer(long value) throws SQLException {
    expect(Kind.INT8, "an integer");
    int8Value(value);
  }

  /**
   * numeric's binary format: int16 ndigits, int16 weight (base-10000 exponent of the first digit),
   * int16 sign, int16 dscale (decimal digits after the point), then ndigits base-10000 digits, most
   * significant first, without leading or trailing zero digits (as PostgreSQL stores them).
   */
  @Override
  public void number(BigDecimal value) throws SQLException {
    expect(Kind.NUMERIC, "a number");
    int scale = value.scale();
    int dscale = Math.max(scale, 0);
    if (dscale > NUMERIC_MAX_DSCALE) {
      throw new SQLException("numeric value " + value + " has more than " + NUMERIC_MAX_DSCALE + " digits after the point");
    }
    if (value.signum() == 0) {
      ensure(12);
      putInt(8);
      putShort(0);
      putShort(0);
      putShort(NUMERIC_POS);
      putShort(dscale);
      return;
    }
    BigInteger unscaled = value.unscaledValue().abs();
    if (scale < 0) {
      unscaled = unscaled.multiply(BigInteger.TEN.pow(-scale));
    }
    // Digits after the point, padded to whole base-10000 digits.
    int pad = (4 - dscale % 4) % 4;
    int fractionGroups = (dscale + pad) / 4;
    int count = 0;
    if (unscaled.bitLength() <= 53) {
      long rest = unscaled.longValue() * POW10[pad];
      while (rest != 0) {
        groups[count++] = (short) (rest % 10_000);
        rest /= 10_000;
      }
    } else {
      String digits = unscaled.toString();
      int total = digits.length() + pad;
      count = (total + 3) / 4;
      if (groups.length < count) {
        groups = new short[Math.max(count, groups.length * 2)];
      }
      // Group g (from the right) holds digits [total - 4g - 4, total - 4g); beyond the string are the pad zeros.
      for (int g = 0; g < count; g++) {
        int end = total - 4 * g;
        int digit = 0;
        for (int i = Math.max(0, end - 4); i < end; i++) {
          digit = digit * 10 + (i < digits.length() ? digits.charAt(i) - '0' : 0);
        }
        groups[g] = (short) digit;
      }
    }
    int weight = count - fractionGroups - 1;
    if (weight > Short.MAX_VALUE || weight < Short.MIN_VALUE) {
      throw new SQLException("numeric value " + value + " is beyond numeric's range");
    }
    int low = 0;
    while (groups[low] == 0) {
      low++;
    }
    int ndigits = count - low;
    ensure(12 + 2 * ndigits);
    putInt(8 + 2 * ndigits);
    putShort(ndigits);
    putShort(weight);
    putShort(value.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS);
    putShort(dscale);
    for (int g = count - 1; g >= low; g--) {
      putShort(groups[g]);
    }
  }

  @Override
  public void bool(boolean value) throws SQLException {
    expect(Kind.BOOL, "a boolean");
    ensure(5);
    putInt(1);
    buffer[length++] = (byte) (value ? 1 : 0);
  }

  /** int32 days since 2000-01-01. */
  @Override
  public void date(LocalDate value) throws SQLException {
    expect(Kind.DATE, "a date");
    ensure(8);
    putInt(4);
    putInt((int) (value.toEpochDay() - PG_EPOCH_DAYS));
  }

  /** int64 microseconds since 2000-01-01 00:00:00 UTC. */
  @Override
  public void timestampWithTimezone(OffsetDateTime value) throws SQLException {
    expect(Kind.TIMESTAMPTZ, "a timestamp with time zone");
    timestamp(value.toEpochSecond(), value.getNano());
  }

  /** int64 microseconds since 2000-01-01 00:00:00 (local time). */
  @Override
  public void timestampWithoutTimezone(LocalDateTime value) throws SQLException {
    expect(Kind.TIMESTAMP, "a timestamp without time zone");
    timestamp(value.toEpochSecond(ZoneOffset.UTC), value.getNano());
  }

  /** int64 microseconds of the day, then int32 the zone's offset in seconds west of UTC (PostgreSQL's sign). */
  @Override
  public void timeWithTimezone(OffsetTime value) throws SQLException {
    expect(Kind.TIMETZ, "a time with time zone");
    ensure(16);
    putInt(12);
    putLong(micros(value.toLocalTime().toNanoOfDay()));
    putInt(-value.getOffset().getTotalSeconds());
  }

  /** int64 microseconds of the day. */
  @Override
  public void timeWithoutTimezone(LocalTime value) throws SQLException {
    expect(Kind.TIME, "a time");
    ensure(12);
    putInt(8);
    putLong(micros(value.toNanoOfDay()));
  }

  private void timestamp(long epochSecond, int nano) throws SQLException {
    int8Value((epochSecond - PG_EPOCH_SECONDS) * 1_000_000 + micros(nano));
  }

  /** Nanoseconds to microseconds, halves to even (as PostgreSQL's rint rounds a fraction read from text). */
  private static long micros(long nanos) {
    long micros = nanos / 1000;
    long rest = nanos % 1000;
    if (rest > 500 || (rest == 500 && (micros & 1) == 1)) {
      micros++;
    }
    return micros;
  }

  /** Takes the next column, of the given kind. */
  private void expect(Kind kind, String what) throws SQLException {
    Kind actual = next(what);
    if (actual != kind) {
      throw mismatch(actual, what);
    }
  }

  private Kind next(String what) throws SQLException {
    if (column >= kinds.length) {
      throw new SQLException("binary COPY row has more values than its " + kinds.length + " columns");
    }
    return kinds[column++];
  }

  private SQLException mismatch(Kind kind, String what) {
    return new SQLException("binary COPY cannot write " + what + " into column " + column + " of type "
        + kind.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Encodes chars [from, to) as UTF-8; {@code checked}: make room before each character, else the caller made room for all. */
  private void encode(String value, int from, int to, boolean checked) throws SQLException {
    byte[] b = buffer;
    int at = length;
    for (int i = from; i < to; i++) {
      if (checked && at + 4 > b.length) {
        length = at;
        flushBuffer();
        at = 0;
      }
      char c = value.charAt(i);
      if (c < 0x80) {
        if (c == 0) {
          length = at;
          throw new SQLException(
              "a text value holds U+0000, which PostgreSQL cannot store; it should have been removed before the load");
        }
        b[at++] = (byte) c;
      } else {
        at = Utf8.encodeNonAscii(value, i, to, b, at);
        if (Utf8.isPair(value, i, to)) {
          i++;
        }
      }
    }
    length = at;
  }

  /** Makes room for {@code bytes} more: sends a full buffer, grows it for a value larger than it. */
  private void ensure(int bytes) throws SQLException {
    if (length + bytes > buffer.length) {
      flushBuffer();
      if (bytes > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(bytes, buffer.length * 2));
      }
    }
  }

  private void flushBuffer() throws SQLException {
    if (length > 0) {
      output.write(buffer, 0, length);
      length = 0;
    }
  }

  private void putBytes(byte[] bytes) {
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  private void putShort(int value) {
    buffer[length++] = (byte) (value >>> 8);
    buffer[length++] = (byte) value;
  }

  private void putInt(int value) {
    byte[] b = buffer;
    int at = length;
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
    length = at + 4;
  }

  private void putLong(long value) {
    putInt((int) (value >>> 32));
    putInt((int) value);
  }

}
