package io.destkit.iceberg;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.write.ColumnVectors.Kind;
import io.destkit.core.write.ColumnVectors;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.iceberg.Schema;
import org.apache.iceberg.parquet.TripleWriter;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.apache.parquet.io.api.Binary;

/**
 * How each Airbyte type is stored in Iceberg, as data: the Iceberg type of its column, how a value
 * of the batch's Arrow vector is read as the Java object Iceberg's generic records hold (to compare
 * keys and cursors), and how it is written from the vector to its Parquet column, encoded as
 * Iceberg's own Parquet writers encode that type.
 * Numbers are {@code decimal(38, 9)} (exact; the value limits round and null what does not fit);
 * a time with time zone, having no Iceberg type, is its ISO text; objects, arrays, unions and
 * unknown types are their JSON text.
 */
final class IcebergTypes {
  static final int NUMBER_PRECISION = 38;
  static final int NUMBER_SCALE = 9;

  /** Reads the value at a row of a vector; the row is not null. */
  @FunctionalInterface
  interface ValueReader {
    Object read(FieldVector vector, int row);
  }

  /**
   * Writes the value at a row of a vector (not null) to the Parquet column of its table column,
   * without an object per value. A writer may reuse a buffer between values: one per column.
   */
  @FunctionalInterface
  interface ValueWriter {
    void write(TripleWriter<?> column, int repetitionLevel, FieldVector vector, int row);
  }

  /** The Iceberg type of a kind of column, the reader of its values and a maker of its column writers. */
  record Mapping(Type type, ValueReader reader, Supplier<ValueWriter> writer) {
    Mapping(Type type, ValueReader reader, ValueWriter writer) {
      this(type, reader, () -> writer);
    }
  }

  private static final Map<Kind, Mapping> MAPPINGS = new EnumMap<>(Kind.class);

  static {
    MAPPINGS.put(Kind.INTEGER, new Mapping(Types.LongType.get(), (v, row) -> ((BigIntVector) v).get(row),
        (column, level, v, row) -> column.writeLong(level, ((BigIntVector) v).get(row))));
    MAPPINGS.put(Kind.BOOLEAN, new Mapping(Types.BooleanType.get(), (v, row) -> ((BitVector) v).get(row) != 0,
        (column, level, v, row) -> column.writeBoolean(level, ((BitVector) v).get(row) != 0)));
    // Days, and microseconds since the epoch or midnight: as Arrow holds them, so as Parquet stores them.
    MAPPINGS.put(Kind.DATE, new Mapping(Types.DateType.get(),
        (v, row) -> DateTimeUtil.dateFromDays(((DateDayVector) v).get(row)),
        (column, level, v, row) -> column.writeInteger(level, ((DateDayVector) v).get(row))));
    MAPPINGS.put(Kind.TIMESTAMP_WITH_TIMEZONE, new Mapping(Types.TimestampType.withZone(),
        (v, row) -> DateTimeUtil.timestamptzFromMicros(((TimeStampMicroTZVector) v).get(row)),
        (column, level, v, row) -> column.writeLong(level, ((TimeStampMicroTZVector) v).get(row))));
    MAPPINGS.put(Kind.TIMESTAMP_WITHOUT_TIMEZONE, new Mapping(Types.TimestampType.withoutZone(),
        (v, row) -> DateTimeUtil.timestampFromMicros(((TimeStampMicroVector) v).get(row)),
        (column, level, v, row) -> column.writeLong(level, ((TimeStampMicroVector) v).get(row))));
    MAPPINGS.put(Kind.TIME_WITHOUT_TIMEZONE, new Mapping(Types.TimeType.get(),
        (v, row) -> DateTimeUtil.timeFromMicros(((TimeMicroVector) v).get(row)),
        (column, level, v, row) -> column.writeLong(level, ((TimeMicroVector) v).get(row))));
    MAPPINGS.put(Kind.NUMBER_DECIMAL, new Mapping(Types.DecimalType.of(NUMBER_PRECISION, NUMBER_SCALE),
        (v, row) -> ((DecimalVector) v).getObject(row), DecimalWriter::new));
    ValueReader text = (v, row) -> new String(((VarCharVector) v).get(row), StandardCharsets.UTF_8);
    MAPPINGS.put(Kind.TIME_WITH_TIMEZONE_TEXT, new Mapping(Types.StringType.get(), text, TextWriter::new));
    MAPPINGS.put(Kind.TEXT, new Mapping(Types.StringType.get(), text, TextWriter::new));
  }

  /**
   * A {@code decimal(38, 9)} is a 16-byte fixed-length Parquet value, the unscaled number in
   * big-endian two's complement; Arrow holds the same 16 bytes in the machine's byte order.
   */
  private static final class DecimalWriter implements ValueWriter {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private final byte[] bytes = new byte[DecimalVector.TYPE_WIDTH];

    @Override
    public void write(TripleWriter<?> column, int repetitionLevel, FieldVector vector, int row) {
      ArrowBuf data = vector.getDataBuffer();
      long start = (long) row * DecimalVector.TYPE_WIDTH;
      data.getBytes(start, bytes);
      if (LITTLE_ENDIAN) {
        for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
          byte b = bytes[i];
          bytes[i] = bytes[j];
          bytes[j] = b;
        }
      }
      // Reused: Parquet copies what it keeps (statistics, dictionary entries).
      column.writeBinary(repetitionLevel, Binary.fromReusedByteArray(bytes));
    }
  }

  /** A string is its UTF-8 bytes, which Arrow holds as they are: copied into a reused buffer. */
  private static final class TextWriter implements ValueWriter {
    private byte[] bytes = new byte[256];

    @Override
    public void write(TripleWriter<?> column, int repetitionLevel, FieldVector vector, int row) {
      VarCharVector text = (VarCharVector) vector;
      int start = text.getStartOffset(row);
      int length = text.getEndOffset(row) - start;
      if (length > bytes.length) {
        bytes = new byte[Math.max(length, bytes.length * 2)];
      }
      text.getDataBuffer().getBytes(start, bytes, 0, length);
      column.writeBinary(repetitionLevel, Binary.fromReusedByteArray(bytes, 0, length));
    }
  }

  /** How batches hold numbers for these mappings. */
  static final ColumnVectors.Numbers NUMBERS = ColumnVectors.Numbers.decimal(NUMBER_PRECISION, NUMBER_SCALE);

  /** {@code _airbyte_meta}: the sync id and the changes made to the record's values, as a struct engines query directly. */
  static final Types.StructType META = Types.StructType.of(
      Types.NestedField.optional(101, "sync_id", Types.LongType.get()),
      Types.NestedField.optional(102, "changes", Types.ListType.ofRequired(103, Types.StructType.of(
          Types.NestedField.optional(104, "field", Types.StringType.get()),
          Types.NestedField.optional(105, "change", Types.StringType.get()),
          Types.NestedField.optional(106, "reason", Types.StringType.get())))));

  private IcebergTypes() {}

  static Mapping mapping(Kind kind) {
    Mapping mapping = MAPPINGS.get(kind);
    if (mapping == null) {
      throw new IllegalArgumentException("No Iceberg type for columns of kind " + kind);
    }
    return mapping;
  }

  static Type type(ColumnDef column) {
    return mapping(ColumnVectors.kind(column.type(), NUMBERS)).type();
  }

  /**
   * The table schema of a stream: the four meta columns, then the stream's columns in its order,
   * all optional. The catalog gives the ids anew when it creates the table.
   */
  static Schema schema(List<ColumnDef> columns) {
    List<Types.NestedField> fields = new ArrayList<>();
    fields.add(Types.NestedField.required(1, MetaColumns.RAW_ID, Types.StringType.get()));
    fields.add(Types.NestedField.required(2, MetaColumns.EXTRACTED_AT, Types.TimestampType.withZone()));
    fields.add(Types.NestedField.required(3, MetaColumns.META, META));
    fields.add(Types.NestedField.optional(4, MetaColumns.GENERATION_ID, Types.LongType.get()));
    int id = 1000;
    for (ColumnDef column : columns) {
      fields.add(Types.NestedField.optional(id++, column.name(), type(column)));
    }
    return new Schema(fields);
  }
}
