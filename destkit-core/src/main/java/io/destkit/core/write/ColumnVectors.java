package io.destkit.core.write;

import io.destkit.core.typing.AirbyteType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * How a batch holds the values of a column of each Airbyte type, one Arrow vector per column:
 *
 * <table>
 *   <caption>Vector per type</caption>
 *   <tr><th>Airbyte type</th><th>Arrow vector</th><th>Java value ({@link #get})</th></tr>
 *   <tr><td>integer</td><td>{@code BigInt}</td><td>{@code Long}</td></tr>
 *   <tr><td>boolean</td><td>{@code Bit}</td><td>{@code Boolean}</td></tr>
 *   <tr><td>date</td><td>{@code DateDay}</td><td>{@code LocalDate}</td></tr>
 *   <tr><td>timestamp with time zone</td><td>{@code TimeStampMicroTZ} (UTC)</td><td>{@code OffsetDateTime} at UTC</td></tr>
 *   <tr><td>timestamp without time zone</td><td>{@code TimeStampMicro}</td><td>{@code LocalDateTime}</td></tr>
 *   <tr><td>time without time zone</td><td>{@code TimeMicro}</td><td>{@code LocalTime}</td></tr>
 *   <tr><td>number</td><td>{@code Decimal(p, s)} when the destination stores numbers so ({@link
 *   Numbers#decimal}), else {@code VarChar}: the decimal's exact text</td><td>{@code BigDecimal}</td></tr>
 *   <tr><td>time with time zone</td><td>{@code VarChar}: {@code HH:mm:ss.SSSSSS+hh:mm}</td><td>{@code OffsetTime}</td></tr>
 *   <tr><td>string, and every JSON type</td><td>{@code VarChar} (UTF-8)</td><td>{@code String}</td></tr>
 * </table>
 *
 * <p>A number is kept as text unless the destination gives its decimal type: PostgreSQL's {@code
 * numeric} has no precision, DuckDB's {@code DECIMAL(38, 9)} has (and its cast from text costs
 * about 5 microseconds a value, measured, against
 * nothing for an Arrow decimal). Values arrive at microsecond precision (the value limits truncate
 * finer ones).
 */
public final class ColumnVectors {
  private static final String UTC = "UTC";
  private static final DateTimeFormatter TIME_WITH_OFFSET = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSxxx");

  private ColumnVectors() {}

  /** How a destination's batches hold numbers. */
  public record Numbers(int precision, int scale) {
    /** As text: exact whatever the precision. */
    public static final Numbers TEXT = new Numbers(0, 0);

    /** As Arrow decimals of this precision and scale; the value limits have rounded values to fit. */
    public static Numbers decimal(int precision, int scale) {
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        throw new IllegalArgumentException("not an Arrow decimal(128): " + precision + ", " + scale);
      }
      return new Numbers(precision, scale);
    }

    public boolean asText() {
      return precision == 0;
    }
  }

  /** The kind of vector that holds a type's values. */
  public enum Kind {
    INTEGER,
    BOOLEAN,
    DATE,
    TIMESTAMP_WITH_TIMEZONE,
    TIMESTAMP_WITHOUT_TIMEZONE,
    TIME_WITHOUT_TIMEZONE,
    NUMBER_TEXT,
    NUMBER_DECIMAL,
    TIME_WITH_TIMEZONE_TEXT,
    TEXT
  }

  public static Kind kind(AirbyteType type, Numbers numbers) {
    if (type.equals(AirbyteType.INTEGER)) {
      return Kind.INTEGER;
    } else if (type.equals(AirbyteType.BOOLEAN)) {
      return Kind.BOOLEAN;
    } else if (type.equals(AirbyteType.DATE)) {
      return Kind.DATE;
    } else if (type.equals(AirbyteType.TIMESTAMP_WITH_TIMEZONE)) {
      return Kind.TIMESTAMP_WITH_TIMEZONE;
    } else if (type.equals(AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE)) {
      return Kind.TIMESTAMP_WITHOUT_TIMEZONE;
    } else if (type.equals(AirbyteType.TIME_WITHOUT_TIMEZONE)) {
      return Kind.TIME_WITHOUT_TIMEZONE;
    } else if (type.equals(AirbyteType.NUMBER)) {
      return numbers.asText() ? Kind.NUMBER_TEXT : Kind.NUMBER_DECIMAL;
    } else if (type.equals(AirbyteType.TIME_WITH_TIMEZONE)) {
      return Kind.TIME_WITH_TIMEZONE_TEXT;
    }
    return Kind.TEXT;
  }

  public static ArrowType arrowType(Kind kind, Numbers numbers) {
    return switch (kind) {
      case NUMBER_DECIMAL -> new ArrowType.Decimal(numbers.precision(), numbers.scale(), 128);
      case INTEGER -> new ArrowType.Int(64, true);
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIMESTAMP_WITH_TIMEZONE -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, UTC);
      case TIMESTAMP_WITHOUT_TIMEZONE -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case TIME_WITHOUT_TIMEZONE -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      case NUMBER_TEXT, TIME_WITH_TIMEZONE_TEXT, TEXT -> ArrowType.Utf8.INSTANCE;
    };
  }

  /** A new, empty vector for a column of {@code type}. */
  public static FieldVector create(String name, AirbyteType type, Numbers numbers, BufferAllocator allocator) {
    return new Field(name, FieldType.nullable(arrowType(kind(type, numbers), numbers)), null).createVector(allocator);
  }

  /** The bytes a value of this kind takes in its vector beyond its text: the fixed width, or the offset. */
  public static int fixedBytes(Kind kind) {
    return switch (kind) {
      case BOOLEAN -> 1;
      case NUMBER_DECIMAL -> 16;
      case DATE, NUMBER_TEXT, TIME_WITH_TIMEZONE_TEXT, TEXT -> 4;
      default -> 8;
    };
  }

  /**
   * Writes a value (never null: use {@code setNull}) at {@code index}, growing the vector as needed.
   * Returns the text bytes written (0 for a fixed-width value).
   *
   * @throws IllegalArgumentException when the value is not of the Java class the kind holds
   */
  public static int set(FieldVector vector, Kind kind, int index, Object value) {
    switch (kind) {
      case INTEGER -> ((BigIntVector) vector).setSafe(index, (Long) value);
      case BOOLEAN -> ((BitVector) vector).setSafe(index, (Boolean) value ? 1 : 0);
      case DATE -> ((DateDayVector) vector).setSafe(index, Math.toIntExact(((LocalDate) value).toEpochDay()));
      case TIMESTAMP_WITH_TIMEZONE -> {
        OffsetDateTime instant = (OffsetDateTime) value;
        ((TimeStampMicroTZVector) vector).setSafe(index, micros(instant.toEpochSecond(), instant.getNano()));
      }
      case TIMESTAMP_WITHOUT_TIMEZONE -> {
        LocalDateTime local = (LocalDateTime) value;
        ((TimeStampMicroVector) vector).setSafe(index, micros(local.toEpochSecond(ZoneOffset.UTC), local.getNano()));
      }
      case TIME_WITHOUT_TIMEZONE -> ((TimeMicroVector) vector).setSafe(index, ((LocalTime) value).toNanoOfDay() / 1000L);
      case NUMBER_TEXT -> {
        return setText(vector, index, ((BigDecimal) value).toString());
      }
      case NUMBER_DECIMAL -> setDecimal((DecimalVector) vector, index, (BigDecimal) value);
      case TIME_WITH_TIMEZONE_TEXT -> {
        return setText(vector, index, ((OffsetTime) value).format(TIME_WITH_OFFSET));
      }
      case TEXT -> {
        return setText(vector, index, (String) value);
      }
    }
    return 0;
  }

  /**
   * The value limits have rounded the value to the vector's scale (and recorded it), so this only
   * adds zeros; a finer value fails rather than change.
   */
  private static void setDecimal(DecimalVector vector, int index, BigDecimal value) {
    BigDecimal scaled = value.setScale(vector.getScale(), java.math.RoundingMode.UNNECESSARY);
    java.math.BigInteger unscaled = scaled.unscaledValue();
    if (unscaled.bitLength() < Long.SIZE) {
      vector.setSafe(index, unscaled.longValue());
    } else {
      vector.setSafe(index, scaled);
    }
  }

  private static int setText(FieldVector vector, int index, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ((VarCharVector) vector).setSafe(index, bytes);
    return bytes.length;
  }

  /** The value at {@code index} as the Java object the kit's coercers produce, or null. */
  public static Object get(FieldVector vector, Kind kind, int index) {
    if (vector.isNull(index)) {
      return null;
    }
    return switch (kind) {
      case INTEGER -> ((BigIntVector) vector).get(index);
      case BOOLEAN -> ((BitVector) vector).get(index) != 0;
      case DATE -> LocalDate.ofEpochDay(((DateDayVector) vector).get(index));
      case TIMESTAMP_WITH_TIMEZONE -> {
        long micros = ((TimeStampMicroTZVector) vector).get(index);
        yield OffsetDateTime.ofInstant(instant(micros), ZoneOffset.UTC);
      }
      case TIMESTAMP_WITHOUT_TIMEZONE ->
          LocalDateTime.ofInstant(instant(((TimeStampMicroVector) vector).get(index)), ZoneOffset.UTC);
      case TIME_WITHOUT_TIMEZONE -> LocalTime.ofNanoOfDay(((TimeMicroVector) vector).get(index) * 1000L);
      case NUMBER_TEXT -> new BigDecimal(text(vector, index));
      case NUMBER_DECIMAL -> ((DecimalVector) vector).getObject(index);
      case TIME_WITH_TIMEZONE_TEXT -> OffsetTime.parse(text(vector, index), TIME_WITH_OFFSET);
      case TEXT -> text(vector, index);
    };
  }

  private static String text(FieldVector vector, int index) {
    return new String(((VarCharVector) vector).get(index), StandardCharsets.UTF_8);
  }

  private static java.time.Instant instant(long micros) {
    return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** Microseconds since the epoch. */
  public static long micros(long epochSecond, int nano) {
    return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nano / 1000);
  }
}
