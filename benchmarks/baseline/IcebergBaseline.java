package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.SyncLog;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.BufferedReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg destination's benchmark helper, compiled against its jar (in its package, to use its
 * table schema and its Parquet writer).
 *
 * <ul>
 *   <li>{@code --write}: the baseline. Reads the messages file, parses each record with Jackson,
 *       builds the same row the destination writes (meta columns included), and writes every row of
 *       a stream with the destination's Parquet writer (zstd, Iceberg's generic writer) into data
 *       files of about {@code --file-rows} rows, then commits all of a stream's files in one append.
 *       No buffering of columns, no coercion beyond parsing, no states: the floor of writing these
 *       rows with this writer.
 *       Prints {@code rows=N}, the rows written.
 *   <li>{@code --count}: prints {@code rows=N}, the rows of the catalog's tables (deletes applied),
 *       then {@code data_files=N} and {@code delete_files=N}, the files of their current snapshots.
 * </ul>
 *
 * usage: IcebergBaseline (--write --input messages.jsonl [--file-rows N] | --count) --catalog catalog.json
 * --config iceberg-config.json
 */
public final class IcebergBaseline {
  private IcebergBaseline() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i];
      boolean flag = key.equals("--write") || key.equals("--count");
      options.put(key, flag ? "true" : args[++i]);
    }
    IcebergDestination destination = new IcebergDestination();
    JsonNode configJson = MessageCodec.MAPPER.readTree(Path.of(options.get("--config")).toFile());
    IcebergConfig config = destination.bindConfig(configJson);
    DestinationCatalog catalog = DestinationCatalog.from(
        ConfiguredCatalog.fromJson(MessageCodec.MAPPER.readTree(Path.of(options.get("--catalog")).toFile())));
    TableCatalog tables = destination.tableCatalog(config, catalog);
    try (JdbcCatalog iceberg = CatalogConnection.open(config, 1)) {
      if (options.containsKey("--count")) {
        long rows = 0;
        long dataFiles = 0;
        long deleteFiles = 0;
        for (StreamTables stream : tables.tables()) {
          Table table = iceberg.loadTable(StreamTable.identifier(stream.finalTable()));
          if (table.currentSnapshot() != null) {
            Map<String, String> summary = table.currentSnapshot().summary();
            dataFiles += Long.parseLong(summary.getOrDefault("total-data-files", "0"));
            deleteFiles += Long.parseLong(summary.getOrDefault("total-delete-files", "0"));
          }
          try (CloseableIterable<Record> records = IcebergGenerics.read(table).select(MetaColumns.RAW_ID).build()) {
            for (Record ignored : records) {
              rows++;
            }
          }
        }
        System.out.println("rows=" + rows);
        System.out.println("data_files=" + dataFiles);
        System.out.println("delete_files=" + deleteFiles);
      } else {
        write(iceberg, tables, Path.of(options.get("--input")), Integer.parseInt(options.getOrDefault("--file-rows", "500000")));
      }
    }
  }

  private static void write(JdbcCatalog iceberg, TableCatalog tables, Path input, int fileRows) throws Exception {
    Map<String, Writer> writers = new HashMap<>();
    for (StreamTables stream : tables.tables()) {
      CatalogConnection.createNamespace(iceberg, stream.finalTable().namespace());
      Table table = StreamTable.open(iceberg, stream, SyncLog.NONE).table();
      writers.put(key(stream.stream().descriptor().namespace(), stream.stream().descriptor().name()),
          new Writer(table, stream, fileRows));
    }
    long rows = 0;
    try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      for (String line; (line = reader.readLine()) != null; ) {
        JsonNode message = MessageCodec.MAPPER.readTree(line);
        if (!"RECORD".equals(message.path("type").asText())) {
          continue;
        }
        JsonNode record = message.get("record");
        Writer writer = writers.get(key(record.path("namespace").asText(null), record.path("stream").asText()));
        writer.write(record);
        rows++;
      }
    }
    for (Writer writer : writers.values()) {
      writer.commit();
    }
    System.out.println("rows=" + rows);
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "\0" + name;
  }

  /** One stream's rows: data files of about fileRows rows each, appended in one commit at the end. */
  private static final class Writer {
    private final Table table;
    private final StreamTables stream;
    private final int fileRows;
    private final List<ColumnDef> columns;
    private final Type[] types;
    private final AppendFiles append;
    private final Types.StructType metaType;
    private DataWriter<Record> file;
    private int rowsInFile;

    Writer(Table table, StreamTables stream, int fileRows) {
      this.table = table;
      this.stream = stream;
      this.fileRows = fileRows;
      this.columns = stream.columns();
      this.types = columns.stream().map(IcebergTypes::type).toArray(Type[]::new);
      this.append = table.newAppend();
      this.metaType = table.schema().findField(MetaColumns.META).type().asStructType();
    }

    void write(JsonNode message) throws Exception {
      if (file == null) {
        String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
        file = ParquetBatchWriter.dataWriter(table, table.io().newOutputFile(location));
      }
      GenericRecord record = GenericRecord.create(table.schema());
      record.setField(MetaColumns.RAW_ID, UUID.randomUUID().toString());
      record.setField(MetaColumns.EXTRACTED_AT, Instant.ofEpochMilli(message.path("emitted_at").asLong()).atOffset(ZoneOffset.UTC));
      GenericRecord meta = GenericRecord.create(metaType);
      meta.setField("sync_id", stream.stream().syncId());
      meta.setField("changes", List.of());
      record.setField(MetaColumns.META, meta);
      record.setField(MetaColumns.GENERATION_ID, stream.stream().generationId());
      JsonNode data = message.get("data");
      for (int i = 0; i < columns.size(); i++) {
        JsonNode value = data.get(columns.get(i).sourceName());
        record.setField(columns.get(i).name(), value == null || value.isNull() ? null : value(types[i], value));
      }
      file.write(record);
      if (++rowsInFile >= fileRows) {
        closeFile();
      }
    }

    private static Object value(Type type, JsonNode value) {
      return switch (type.typeId()) {
        case LONG -> value.asLong();
        case BOOLEAN -> value.asBoolean();
        case DECIMAL -> new BigDecimal(value.asText()).setScale(IcebergTypes.NUMBER_SCALE, RoundingMode.HALF_EVEN);
        case DATE -> LocalDate.parse(value.asText());
        case TIME -> LocalTime.parse(value.asText());
        case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
            ? OffsetDateTime.parse(value.asText()) : LocalDateTime.parse(value.asText());
        default -> value.isTextual() ? value.asText() : value.toString();
      };
    }

    private void closeFile() throws Exception {
      file.close();
      append.appendFile(file.toDataFile());
      file = null;
      rowsInFile = 0;
    }

    void commit() throws Exception {
      if (file != null) {
        closeFile();
      }
      append.commit();
    }
  }
}
