package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.ColumnVectors.Kind;
import io.destkit.core.write.ColumnVectors;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.vector.FieldVector;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * A batch as Iceberg records of its table's schema, a new record each: for the rare commit that
 * works on records rather than on the batch's vectors ({@link ConvertingCommit}, whose table keeps
 * the type of some columns). Every other write goes from the vectors straight to Parquet.
 */
final class BatchRecords {
  private static final DateTimeFormatter TIME_WITH_OFFSET = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSxxx");
  private static final List<Record> NO_CHANGES = List.of();

  private final StreamTables tables;
  private final Schema schema;
  private final Types.StructType metaType;
  private final Types.StructType changeType;
  private final int rawIdPosition;
  private final int extractedAtPosition;
  private final int metaPosition;
  private final int generationPosition;
  /** The table position of each stream column. */
  private final int[] positions;
  private final Kind[] kinds;
  private final IcebergTypes.ValueReader[] readers;

  /** @param table the table as loaded after its schema was made to hold every column of the stream */
  BatchRecords(Table table, StreamTables tables) {
    this.tables = tables;
    this.schema = table.schema();
    List<Types.NestedField> fields = schema.columns();
    this.rawIdPosition = position(fields, MetaColumns.RAW_ID);
    this.extractedAtPosition = position(fields, MetaColumns.EXTRACTED_AT);
    this.metaPosition = position(fields, MetaColumns.META);
    this.generationPosition = position(fields, MetaColumns.GENERATION_ID);
    this.metaType = fields.get(metaPosition).type().asStructType();
    this.changeType = metaType.field("changes").type().asListType().elementType().asStructType();
    List<ColumnDef> columns = tables.columns();
    this.positions = new int[columns.size()];
    this.kinds = new Kind[columns.size()];
    this.readers = new IcebergTypes.ValueReader[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      positions[i] = position(fields, columns.get(i).name());
      kinds[i] = ColumnVectors.kind(columns.get(i).type(), IcebergTypes.NUMBERS);
      readers[i] = IcebergTypes.mapping(kinds[i]).reader();
    }
  }

  private int position(List<Types.NestedField> fields, String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("Table " + tables.finalTable() + " has no column " + name);
  }

  /** The batch's records, a new record each, for a loader that works on them before writing. */
  List<Record> of(RecordBatch batch) {
    BatchColumns columns = batch.columns().orElse(null);
    int size = batch.size();
    List<Record> records = new ArrayList<>(size);
    for (int row = 0; row < size; row++) {
      GenericRecord record = GenericRecord.create(schema);
      record.set(generationPosition, tables.stream().generationId());
      if (columns != null) {
        fill(record, columns, row);
      } else {
        fill(record, batch.rows().get(row));
      }
      records.add(record);
    }
    return records;
  }

  private void fill(GenericRecord record, BatchColumns columns, int row) {
    record.set(rawIdPosition, new UUID(columns.rawIdHigh(row), columns.rawIdLow(row)).toString());
    record.set(extractedAtPosition, Instant.ofEpochMilli(columns.extractedAtMillis(row)).atOffset(ZoneOffset.UTC));
    record.set(metaPosition, meta(columns.changes(row)));
    for (int column = 0; column < positions.length; column++) {
      FieldVector vector = columns.vector(column);
      record.set(positions[column], vector.isNull(row) ? null : readers[column].read(vector, row));
    }
  }

  private void fill(GenericRecord record, Row row) {
    record.set(rawIdPosition, row.rawId().toString());
    record.set(extractedAtPosition, Instant.ofEpochMilli(row.extractedAtMillis()).atOffset(ZoneOffset.UTC));
    record.set(metaPosition, meta(row.changes()));
    Object[] values = row.values();
    for (int column = 0; column < positions.length; column++) {
      record.set(positions[column], rowValue(kinds[column], values[column]));
    }
  }

  /** A value of a {@link Row} (the Java object {@link ColumnVectors#get} gives) as the writer takes it. */
  private static Object rowValue(Kind kind, Object value) {
    if (value == null) {
      return null;
    }
    return switch (kind) {
      case NUMBER_DECIMAL -> ((BigDecimal) value).setScale(IcebergTypes.NUMBER_SCALE, RoundingMode.UNNECESSARY);
      case TIME_WITH_TIMEZONE_TEXT -> ((OffsetTime) value).format(TIME_WITH_OFFSET);
      default -> value;
    };
  }

  private GenericRecord meta(String changes) {
    GenericRecord meta = GenericRecord.create(metaType);
    meta.setField("sync_id", tables.stream().syncId());
    meta.setField("changes", changes == null ? NO_CHANGES : changes(changes));
    return meta;
  }

  private List<Record> changes(String json) {
    return changeRecords(json, changeType);
  }

  /**
   * The {@code changes} JSON array of a record's {@code _airbyte_meta} as records of the table's
   * change struct ({@code changeType}).
   */
  static List<Record> changeRecords(String json, Types.StructType changeType) {
    JsonNode array;
    try {
      array = MessageCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("A record's _airbyte_meta.changes is not JSON: " + json, e);
    }
    List<Record> changes = new ArrayList<>(array.size());
    for (JsonNode entry : array) {
      GenericRecord change = GenericRecord.create(changeType);
      change.setField("field", text(entry, "field"));
      change.setField("change", text(entry, "change"));
      change.setField("reason", text(entry, "reason"));
      changes.add(change);
    }
    return changes;
  }

  private static String text(JsonNode entry, String name) {
    JsonNode value = entry.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }
}
