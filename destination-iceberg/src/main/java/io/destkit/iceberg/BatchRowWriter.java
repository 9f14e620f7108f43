package io.destkit.iceberg;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.ColumnVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.apache.iceberg.FieldMetrics;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.parquet.ParquetValueWriter;
import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.iceberg.parquet.TripleWriter;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * The Parquet value writer of a table's rows taken from a batch: its value is a row of a batch
 * ({@link Cursor}), and each stream column goes from its Arrow vector to its Parquet column as
 * Iceberg's generic writer encodes that type ({@link IcebergTypes.ValueWriter}), with no object per
 * value. {@code _airbyte_meta}, and the table's columns the stream does not have (written null), go
 * through Iceberg's generic writer of that one column. Iceberg's Parquet appender around this writer
 * computes the data file's metrics from the file's footer, as for any of its writers.
 */
final class BatchRowWriter implements ParquetValueWriter<BatchRowWriter.Cursor> {
  private static final List<Record> NO_CHANGES = List.of();

  /** A row of a batch: set to a batch, then moved from row to row. */
  static final class Cursor {
    private FieldVector[] vectors;
    private BatchColumns columns;
    private int row;

    /** Points at the first row of {@code batch}. */
    void batch(BatchColumns batch) {
      this.columns = batch;
      this.vectors = new FieldVector[batch.columnCount()];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = batch.vector(i);
      }
      this.row = 0;
    }

    void row(int row) {
      this.row = row;
    }
  }

  /** The writer of one top-level column of the table. */
  private abstract static class Field {
    /** The Iceberg writer that owns the column's Parquet writers (their columns and column store). */
    final ParquetValueWriter<?> owner;

    Field(ParquetValueWriter<?> owner) {
      this.owner = owner;
    }

    abstract void write(int repetitionLevel, Cursor cursor);
  }

  private final List<Field> fields = new ArrayList<>();
  private final List<TripleWriter<?>> columns = new ArrayList<>();

  /**
   * @param schema the table's schema, as the file is written
   * @param parquet the file's Parquet schema (made from {@code schema} by Iceberg)
   */
  BatchRowWriter(Schema schema, MessageType parquet, StreamTables tables) {
    List<ColumnDef> streamColumns = tables.columns();
    for (Types.NestedField field : schema.columns()) {
      org.apache.parquet.schema.Type parquetField = parquetField(parquet, field);
      MessageType single = new MessageType(parquet.getName(), parquetField);
      String[] path = {parquetField.getName()};
      int streamColumn = streamColumn(streamColumns, field.name());
      Field writer = switch (field.name()) {
        case MetaColumns.RAW_ID -> rawId(parquet.getColumnDescription(path));
        case MetaColumns.EXTRACTED_AT -> extractedAt(parquet.getColumnDescription(path));
        case MetaColumns.GENERATION_ID -> generationId(parquet.getColumnDescription(path), tables.stream().generationId());
        case MetaColumns.META -> new MetaField(field, single, tables.stream().syncId());
        default -> streamColumn < 0
            ? absent(field, single)
            : streamColumn(field, parquet.getColumnDescription(path), streamColumns.get(streamColumn), streamColumn);
      };
      fields.add(writer);
      columns.addAll(writer.owner.columns());
    }
  }

  private static org.apache.parquet.schema.Type parquetField(MessageType parquet, Types.NestedField field) {
    for (org.apache.parquet.schema.Type candidate : parquet.getFields()) {
      if (candidate.getId() != null && candidate.getId().intValue() == field.fieldId()) {
        return candidate;
      }
    }
    throw new IllegalStateException("The Parquet schema has no column of field " + field.name() + " (id " + field.fieldId() + ")");
  }

  private static int streamColumn(List<ColumnDef> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The raw id as its UUID text, written from its two longs through a reused buffer. */
  private static Field rawId(ColumnDescriptor descriptor) {
    ParquetValueWriter<?> owner = ParquetValueWriters.strings(descriptor);
    TripleWriter<?> column = owner.columns().get(0);
    byte[] text = new byte[36];
    return new Field(owner) {
      @Override
      void write(int repetitionLevel, Cursor cursor) {
        uuidText(cursor.columns.rawIdHigh(cursor.row), cursor.columns.rawIdLow(cursor.row), text);
        column.writeBinary(repetitionLevel, Binary.fromReusedByteArray(text));
      }
    };
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Writes the text {@link java.util.UUID#toString()} gives for these bits (36 ASCII bytes) into {@code text}. */
  static void uuidText(long high, long low, byte[] text) {
    hex(high >>> 32, 8, text, 0);
    text[8] = '-';
    hex(high >>> 16, 4, text, 9);
    text[13] = '-';
    hex(high, 4, text, 14);
    text[18] = '-';
    hex(low >>> 48, 4, text, 19);
    text[23] = '-';
    hex(low, 12, text, 24);
  }

  /** The low {@code digits} hex digits of {@code bits}, most significant first. */
  private static void hex(long bits, int digits, byte[] text, int at) {
    for (int i = digits - 1; i >= 0; i--) {
      text[at + i] = HEX[(int) (bits & 0xF)];
      bits >>>= 4;
    }
  }

  /** Microseconds since the epoch, from the record's milliseconds. */
  private static Field extractedAt(ColumnDescriptor descriptor) {
    ParquetValueWriter<?> owner = ParquetValueWriters.longs(descriptor);
    TripleWriter<?> column = owner.columns().get(0);
    return new Field(owner) {
      @Override
      void write(int repetitionLevel, Cursor cursor) {
        column.writeLong(repetitionLevel, cursor.columns.extractedAtMillis(cursor.row) * 1000L);
      }
    };
  }

  private static Field generationId(ColumnDescriptor descriptor, long generation) {
    ParquetValueWriter<?> owner = ParquetValueWriters.longs(descriptor);
    TripleWriter<?> column = owner.columns().get(0);
    return new Field(owner) {
      @Override
      void write(int repetitionLevel, Cursor cursor) {
        column.writeLong(repetitionLevel, generation);
      }
    };
  }

  private static Field streamColumn(Types.NestedField field, ColumnDescriptor descriptor, ColumnDef def, int index) {
    IcebergTypes.Mapping mapping = IcebergTypes.mapping(ColumnVectors.kind(def.type(), IcebergTypes.NUMBERS));
    if (!mapping.type().equals(field.type())) {
      throw new IllegalStateException("Column " + field.name() + " of the table is " + field.type()
          + " but the stream's values are " + mapping.type());
    }
    // The owner only binds the Parquet column to the file's store (its column writer takes values of
    // any Parquet type); the values go through valueWriter.
    ParquetValueWriter<?> owner = ParquetValueWriters.unboxed(descriptor);
    TripleWriter<?> column = owner.columns().get(0);
    IcebergTypes.ValueWriter valueWriter = mapping.writer().get();
    int nullLevel = descriptor.getMaxDefinitionLevel() - 1;
    return new Field(owner) {
      @Override
      void write(int repetitionLevel, Cursor cursor) {
        FieldVector vector = cursor.vectors[index];
        if (vector.isNull(cursor.row)) {
          column.writeNull(repetitionLevel, nullLevel);
        } else {
          valueWriter.write(column, repetitionLevel, vector, cursor.row);
        }
      }
    };
  }

  /** A column of the table the stream does not have: null in every row. */
  private static Field absent(Types.NestedField field, MessageType single) {
    GenericRecord nothing = GenericRecord.create(new Schema(field));
    ParquetValueWriter<Record> nulls = GenericParquetWriter.create(nothing.struct().asSchema(), single);
    return new Field(nulls) {
      @Override
      void write(int repetitionLevel, Cursor cursor) {
        nulls.write(repetitionLevel, nothing);
      }
    };
  }

  /** {@code _airbyte_meta}: the sync id and the record's changes (most records have none: no object is made). */
  private static final class MetaField extends Field {
    private final ParquetValueWriter<Record> writer;
    private final GenericRecord holder;
    private final GenericRecord meta;
    private final Types.StructType changeType;

    MetaField(Types.NestedField field, MessageType single, long syncId) {
      this(field, GenericParquetWriter.create(new Schema(field), single), syncId);
    }

    private MetaField(Types.NestedField field, ParquetValueWriter<Record> writer, long syncId) {
      super(writer);
      this.writer = writer;
      Types.StructType metaType = field.type().asStructType();
      this.changeType = metaType.field("changes").type().asListType().elementType().asStructType();
      this.holder = GenericRecord.create(new Schema(field));
      this.meta = GenericRecord.create(metaType);
      meta.setField("sync_id", syncId);
      holder.set(0, meta);
    }

    @Override
    void write(int repetitionLevel, Cursor cursor) {
      String changes = cursor.columns.changes(cursor.row);
      meta.setField("changes", changes == null ? NO_CHANGES : changes(changes));
      writer.write(repetitionLevel, holder);
    }

    private List<Record> changes(String json) {
      return BatchRecords.changeRecords(json, changeType);
    }
  }

  @Override
  public void write(int repetitionLevel, Cursor cursor) {
    for (Field field : fields) {
      field.write(repetitionLevel, cursor);
    }
  }

  @Override
  public List<TripleWriter<?>> columns() {
    return columns;
  }

  @Override
  public void setColumnStore(ColumnWriteStore store) {
    for (Field field : fields) {
      field.owner.setColumnStore(store);
    }
  }

  @Override
  public Stream<FieldMetrics<?>> metrics() {
    return fields.stream().flatMap(field -> field.owner.metrics());
  }
}
