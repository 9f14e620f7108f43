package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableName;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.FieldType;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.ColumnVectors;
import io.destkit.protocol.StreamDescriptor;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The batch writer writes from the Arrow vectors exactly what Iceberg's generic writer writes from
 * records of the same values: the same rows read back, the same data file metrics (bounds, null and
 * value counts, column sizes), for every type the destination maps, at its extremes, null, Unicode
 * and long text, with a table column the stream does not have.
 */
class ParquetBatchWriterTest {
  private static final long SYNC_ID = 42;
  private static final long GENERATION_ID = 7;
  private static final List<ColumnDef> COLUMNS = List.of(
      new ColumnDef("integer", "integer", AirbyteType.INTEGER, true),
      new ColumnDef("boolean", "boolean", AirbyteType.BOOLEAN, true),
      new ColumnDef("date", "date", AirbyteType.DATE, true),
      new ColumnDef("tstz", "tstz", AirbyteType.TIMESTAMP_WITH_TIMEZONE, true),
      new ColumnDef("ts", "ts", AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, true),
      new ColumnDef("time", "time", AirbyteType.TIME_WITHOUT_TIMEZONE, true),
      new ColumnDef("number", "number", AirbyteType.NUMBER, true),
      new ColumnDef("timetz", "timetz", AirbyteType.TIME_WITH_TIMEZONE, true),
      new ColumnDef("string", "string", AirbyteType.STRING, true),
      new ColumnDef("object", "object", AirbyteType.OBJECT_WITHOUT_SCHEMA, true));

  @Test
  void batchFilesHoldWhatTheGenericWriterWritesWithTheSameMetrics() throws IOException {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("memory", Map.of());
    catalog.createNamespace(Namespace.of("ns"));
    Table table = catalog.buildTable(TableIdentifier.of("ns", "typed"), IcebergTypes.schema(COLUMNS))
        .withPartitionSpec(PartitionSpec.unpartitioned())
        .withProperties(StreamTable.PROPERTIES)
        .create();
    table.updateSchema().addColumn("not_in_the_stream", Types.LongType.get()).commit();
    table.refresh();
    StreamTables tables = streamTables();

    try (BufferAllocator allocator = new RootAllocator();
        BatchColumns columns = columns(allocator)) {
      DataFile fromVectors = new ParquetBatchWriter(table, tables).write(columns, null, () -> {});
      List<Record> expected = records(table.schema(), columns);
      DataFile fromRecords = genericFile(table, expected);

      assertThat(read(table, fromVectors)).isEqualTo(expected);
      assertThat(read(table, fromRecords)).isEqualTo(expected);
      assertThat(fromVectors.recordCount()).isEqualTo(columns.size());
      assertThat(fromVectors.lowerBounds()).isEqualTo(fromRecords.lowerBounds());
      assertThat(fromVectors.upperBounds()).isEqualTo(fromRecords.upperBounds());
      assertThat(fromVectors.nullValueCounts()).isEqualTo(fromRecords.nullValueCounts());
      assertThat(fromVectors.valueCounts()).isEqualTo(fromRecords.valueCounts());
      assertThat(fromVectors.nanValueCounts()).isEqualTo(fromRecords.nanValueCounts());
      assertThat(fromVectors.columnSizes()).isEqualTo(fromRecords.columnSizes());
      assertThat(fromVectors.fileSizeInBytes()).isEqualTo(fromRecords.fileSizeInBytes());
      // The raw id's bounds (full metrics) are the smallest and largest ids of the file, whole.
      int rawId = table.schema().findField(MetaColumns.RAW_ID).fieldId();
      assertThat(fromVectors.lowerBounds()).containsKey(rawId);

      int[] some = {5, 0, 2};
      DataFile selected = new ParquetBatchWriter(table, tables).write(columns, some, () -> {});
      assertThat(read(table, selected)).containsExactly(expected.get(5), expected.get(0), expected.get(2));
    }
  }

  @Test
  void rawIdTextIsTheUuidsText() {
    Random random = new Random(1);
    List<UUID> ids = new ArrayList<>(List.of(new UUID(0, 0), new UUID(-1, -1), new UUID(Long.MIN_VALUE, Long.MAX_VALUE)));
    for (int i = 0; i < 1000; i++) {
      ids.add(new UUID(random.nextLong(), random.nextLong()));
    }
    byte[] text = new byte[36];
    for (UUID id : ids) {
      BatchRowWriter.uuidText(id.getMostSignificantBits(), id.getLeastSignificantBits(), text);
      assertThat(new String(text, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(id.toString());
    }
  }

  private static StreamTables streamTables() {
    Map<String, FieldType> fields = new LinkedHashMap<>();
    for (ColumnDef column : COLUMNS) {
      fields.put(column.sourceName(), new FieldType(column.type(), true));
    }
    DestinationStream stream = new DestinationStream(new StreamDescriptor("ns", "typed"), AirbyteType.UNKNOWN,
        fields, false, new ImportType.Append(), GENERATION_ID, 0, SYNC_ID);
    return new StreamTables(stream, new TableName("ns", "typed"), new TableName("ns", "typed_tmp"), COLUMNS);
  }

  /** Extremes, all nulls (with changes), then ordinary rows with repeated and long text. */
  private static BatchColumns columns(BufferAllocator allocator) {
    BatchColumns.Builder builder = new BatchColumns.Builder(COLUMNS, IcebergTypes.NUMBERS, allocator);
    long millis = 1_700_000_000_123L;
    builder.append(1, 2, millis, null, new Object[] {
        Long.MIN_VALUE, false, LocalDate.of(1, 1, 1), OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
        LocalDateTime.of(1, 1, 1, 0, 0), LocalTime.MIN, new BigDecimal("-99999999999999999999999999999.999999999"),
        OffsetTime.of(0, 0, 0, 0, ZoneOffset.ofHours(-12)), "", "{}"});
    builder.append(-1, -2, millis + 1, null, new Object[] {
        Long.MAX_VALUE, true, LocalDate.of(9999, 12, 31), OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC),
        LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000), LocalTime.of(23, 59, 59, 999_999_000),
        new BigDecimal("99999999999999999999999999999.999999999"), OffsetTime.of(23, 59, 59, 999_999_000, ZoneOffset.ofHours(14)),
        "ünïcødé ✓ 𝄞 \"quoted\", commas\nand a line", "[1,\"two\",{\"3\":null}]"});
    builder.append(3, 4, millis + 2,
        "[{\"field\":\"integer\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"}]",
        new Object[COLUMNS.size()]);
    Random random = new Random(7);
    String longText = "long ".repeat(400) + "é";
    for (int i = 0; i < 3000; i++) {
      builder.append(random.nextLong(), random.nextLong(), millis + i, null, new Object[] {
          (long) random.nextInt(100), i % 3 == 0, LocalDate.of(2025, 1, 1).plusDays(i % 400),
          OffsetDateTime.of(2025, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC).plusNanos(random.nextInt(1_000_000) * 1000L),
          LocalDateTime.of(2025, 6, 1, 12, 0).plusSeconds(i), LocalTime.of(i % 24, i % 60, 1, 500_000),
          BigDecimal.valueOf(random.nextLong(), 9).setScale(9), OffsetTime.of(i % 24, 0, 0, 0, ZoneOffset.ofHours(i % 12)),
          i % 7 == 0 ? null : (i % 11 == 0 ? longText + i : "value " + (i % 50)),
          i % 5 == 0 ? null : "{\"n\":" + i + "}"});
    }
    BatchColumns batch = builder.drain();
    builder.close();
    return batch;
  }

  /** The records Iceberg's generic writer takes for the batch's rows, each value read as Iceberg's records hold it. */
  private static List<Record> records(Schema schema, BatchColumns columns) {
    Types.StructType metaType = schema.findField(MetaColumns.META).type().asStructType();
    Types.StructType changeType = metaType.field("changes").type().asListType().elementType().asStructType();
    List<Record> records = new ArrayList<>();
    for (int row = 0; row < columns.size(); row++) {
      GenericRecord record = GenericRecord.create(schema);
      record.setField(MetaColumns.RAW_ID, new UUID(columns.rawIdHigh(row), columns.rawIdLow(row)).toString());
      record.setField(MetaColumns.EXTRACTED_AT, Instant.ofEpochMilli(columns.extractedAtMillis(row)).atOffset(ZoneOffset.UTC));
      GenericRecord meta = GenericRecord.create(metaType);
      meta.setField("sync_id", SYNC_ID);
      List<Record> changes = new ArrayList<>();
      if (columns.changes(row) != null) {
        GenericRecord change = GenericRecord.create(changeType);
        change.setField("field", "integer");
        change.setField("change", "NULLED");
        change.setField("reason", "DESTINATION_FIELD_SIZE_LIMITATION");
        changes.add(change);
      }
      meta.setField("changes", changes);
      record.setField(MetaColumns.META, meta);
      record.setField(MetaColumns.GENERATION_ID, GENERATION_ID);
      for (int column = 0; column < COLUMNS.size(); column++) {
        FieldVector vector = columns.vector(column);
        ColumnVectors.Kind kind = columns.kind(column);
        record.setField(COLUMNS.get(column).name(),
            vector.isNull(row) ? null : IcebergTypes.mapping(kind).reader().read(vector, row));
      }
      records.add(record);
    }
    return records;
  }

  private static DataFile genericFile(Table table, List<Record> records) throws IOException {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer = ParquetBatchWriter.dataWriter(table, table.io().newOutputFile(location));
    try (writer) {
      for (Record record : records) {
        writer.write(record);
      }
    }
    return writer.toDataFile();
  }

  private static List<Record> read(Table table, DataFile file) throws IOException {
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = Parquet.read(table.io().newInputFile(file.location()))
        .project(table.schema())
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(table.schema(), fileSchema))
        .build()) {
      for (Record record : records) {
        rows.add(record.copy());
      }
    }
    return rows;
  }
}
