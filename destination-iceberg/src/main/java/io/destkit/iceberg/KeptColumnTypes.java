package io.destkit.iceberg;

import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.typing.ChangeReason;
import io.destkit.core.typing.ValueChange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The columns whose type in the table is not the stream's and that Iceberg cannot promote to it
 * (string to long, long to string, ...): the table keeps its type, since Iceberg changes a type in
 * place only to a wider one of the same kind, and each new value is converted into it. A value that
 * has no equal in the kept type (the string {@code "x7"} in a {@code long} column) becomes null and
 * its record's {@code _airbyte_meta.changes} gets {@code {field, NULLED,
 * DESTINATION_SERIALIZATION_ERROR}}, as for any value of the wrong type. Conversions to text never
 * lose a value.
 */
final class KeptColumnTypes {
  /** One value into the kept type; null when it has no equal there. The value is not null. */
  @FunctionalInterface
  interface Conversion {
    Object convert(Object value);
  }

  /** A kept column: its table position, its source field and the conversion into its type. */
  private record Kept(int position, String field, Conversion conversion) {}

  private final List<Kept> columns = new ArrayList<>();

  boolean isEmpty() {
    return columns.isEmpty();
  }

  /** Keeps the type of column {@code name} of the table schema {@code schema}; {@code field} is its source field. */
  void keep(Schema schema, String name, String field, Conversion conversion) {
    List<Types.NestedField> fields = schema.columns();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        columns.add(new Kept(i, field, conversion));
        return;
      }
    }
    throw new IllegalArgumentException("No column " + name + " in " + schema);
  }

  /**
   * Converts the kept columns of these records (of the table's schema, holding the stream's values)
   * in place, recording each value nulled; returns them.
   */
  List<Record> convert(List<Record> records, Schema schema) {
    int metaPosition = position(schema, MetaColumns.META);
    Types.StructType changeType = schema.columns().get(metaPosition).type().asStructType()
        .field("changes").type().asListType().elementType().asStructType();
    for (Record record : records) {
      List<Record> added = null;
      for (Kept column : columns) {
        Object value = record.get(column.position());
        if (value == null) {
          continue;
        }
        Object converted = column.conversion().convert(value);
        record.set(column.position(), converted);
        if (converted == null) {
          GenericRecord change = GenericRecord.create(changeType);
          change.setField("field", column.field());
          change.setField("change", ValueChange.NULLED.name());
          change.setField("reason", ChangeReason.DESTINATION_SERIALIZATION_ERROR.name());
          added = added == null ? new ArrayList<>() : added;
          added.add(change);
        }
      }
      if (added != null) {
        Record meta = (Record) record.get(metaPosition);
        @SuppressWarnings("unchecked")
        List<Record> changes = new ArrayList<>((List<Record>) meta.getField("changes"));
        changes.addAll(added);
        meta.setField("changes", changes);
      }
    }
    return records;
  }

  private static int position(Schema schema, String name) {
    List<Types.NestedField> fields = schema.columns();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("No column " + name + " in " + schema);
  }

  /**
   * The conversion of the values the destination writes (Long, Boolean, BigDecimal, String and the
   * java.time values of {@link IcebergTypes}) into a column of type {@code type}, or empty for a type
   * it cannot convert into (nested types, binary, uuid, fixed).
   */
  static Optional<Conversion> into(Type type) {
    return Optional.ofNullable(switch (type.typeId()) {
      case STRING -> KeptColumnTypes::text;
      case LONG -> KeptColumnTypes::toLong;
      case INTEGER -> value -> {
        Long number = toLong(value);
        return number == null || number != number.intValue() ? null : number.intValue();
      };
      case DOUBLE -> value -> {
        BigDecimal number = toDecimal(value);
        return number == null ? null : number.doubleValue();
      };
      case FLOAT -> value -> {
        BigDecimal number = toDecimal(value);
        float single = number == null ? Float.NaN : number.floatValue();
        return Float.isNaN(single) || Float.isInfinite(single) ? null : single;
      };
      case DECIMAL -> {
        Types.DecimalType decimal = (Types.DecimalType) type;
        yield value -> {
          BigDecimal number = toDecimal(value);
          if (number == null) {
            return null;
          }
          BigDecimal scaled = number.setScale(decimal.scale(), RoundingMode.HALF_UP);
          return scaled.precision() > decimal.precision() ? null : scaled;
        };
      }
      case BOOLEAN -> value -> {
        if (value instanceof Boolean bool) {
          return bool;
        }
        String text = value instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : "";
        return text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
      };
      case DATE -> value -> value instanceof LocalDate date ? date : parse(value, LocalDate::parse);
      case TIME -> value -> value instanceof LocalTime time ? time : parse(value, LocalTime::parse);
      case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
          ? value -> toOffsetDateTime(value)
          : value -> value instanceof LocalDateTime local ? local : parse(value, LocalDateTime::parse);
      default -> null;
    });
  }

  private static Object toOffsetDateTime(Object value) {
    if (value instanceof OffsetDateTime instant) {
      return instant;
    }
    if (value instanceof LocalDateTime local) {
      return local.atOffset(ZoneOffset.UTC);
    }
    return parse(value, OffsetDateTime::parse);
  }

  private static <T> T parse(Object value, java.util.function.Function<String, T> parser) {
    if (!(value instanceof String text)) {
      return null;
    }
    try {
      return parser.apply(text.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The value's text: numbers without trailing zeros, dates and times in ISO-8601. */
  private static String text(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
    }
    if (value instanceof OffsetDateTime instant) {
      return instant.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    return value.toString();
  }

  private static BigDecimal toDecimal(Object value) {
    if (value instanceof Long number) {
      return BigDecimal.valueOf(number);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof String text) {
      try {
        return new BigDecimal(text.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static Long toLong(Object value) {
    if (value instanceof Long number) {
      return number;
    }
    BigDecimal decimal = toDecimal(value);
    if (decimal == null) {
      return null;
    }
    try {
      return decimal.longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
