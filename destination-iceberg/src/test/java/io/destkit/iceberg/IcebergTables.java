package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.TableReader;
import io.destkit.testkit.TableRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

/**
 * The destination's Iceberg tables as the testkit's suites read them: the JDBC catalog the config
 * points at, opened apart from any sync, and each table's {@code main} branch (what readers see)
 * read with Iceberg's own generic reader.
 */
final class IcebergTables implements TableReader {
  private final JdbcCatalog catalog;

  IcebergTables(IcebergConfig config) {
    this.catalog = CatalogConnection.open(config, 1);
  }

  @Override
  public boolean namespaceExists(String namespace) {
    return catalog.namespaceExists(Namespace.of(namespace));
  }

  @Override
  public boolean tableExists(TableName table) {
    return catalog.tableExists(identifier(table));
  }

  @Override
  public List<String> columnNames(TableName table) {
    return catalog.loadTable(identifier(table)).schema().columns().stream().map(Types.NestedField::name).toList();
  }

  @Override
  public List<TableRow> rows(TableName name) {
    Table table = catalog.loadTable(identifier(name));
    List<TableRow> rows = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return rows;
    }
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        rows.add(row(table.schema().columns(), record));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /**
   * Appends the row in a Parquet file of its own, committed to main, as another tool writes to the
   * table (with Iceberg's generic writer, not the destination's).
   */
  void appendByHand(TableName name, TableRow row) throws IOException {
    appendByHand(catalog.loadTable(identifier(name)), SnapshotRef.MAIN_BRANCH, List.of(row));
  }

  /** Appends the rows as one data file to a branch of the table, in one commit. */
  static void appendByHand(Table table, String branch, List<TableRow> rows) throws IOException {
    OutputFile file = table.io().newOutputFile(table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
    DataWriter<Record> writer = Parquet.writeData(file)
        .schema(table.schema())
        .setAll(table.properties())
        .metricsConfig(MetricsConfig.forTable(table))
        .createWriterFunc(GenericParquetWriter::create)
        .withSpec(table.spec())
        .build();
    try (writer) {
      for (TableRow row : rows) {
        writer.write(record(table, row));
      }
    }
    DataFile data = writer.toDataFile();
    table.newAppend().appendFile(data).toBranch(branch).commit();
  }

  private static GenericRecord record(Table table, TableRow row) {
    GenericRecord record = GenericRecord.create(table.schema());
    record.setField(MetaColumns.RAW_ID, row.rawId().toString());
    record.setField(MetaColumns.EXTRACTED_AT, row.extractedAt().atOffset(ZoneOffset.UTC));
    Types.StructType metaType = table.schema().findField(MetaColumns.META).type().asStructType();
    GenericRecord meta = GenericRecord.create(metaType);
    meta.setField("sync_id", row.meta().path("sync_id").asLong());
    meta.setField("changes", List.of());
    record.setField(MetaColumns.META, meta);
    record.setField(MetaColumns.GENERATION_ID, row.generationId().isPresent() ? row.generationId().getAsLong() : null);
    row.values().forEach((column, text) -> record.setField(column, value(table.schema().findField(column), text)));
    return record;
  }

  private static Object value(Types.NestedField column, String text) {
    if (text == null) {
      return null;
    }
    return switch (column.type().typeId()) {
      case LONG -> Long.parseLong(text);
      case STRING -> text;
      default -> throw new IllegalArgumentException(
          "Column " + column.name() + " is " + column.type() + ": only long and string columns are written by hand");
    };
  }

  private static TableRow row(List<Types.NestedField> columns, Record record) {
    UUID rawId = null;
    OffsetDateTime extractedAt = null;
    JsonNode meta = null;
    OptionalLong generationId = OptionalLong.empty();
    Map<String, String> values = new LinkedHashMap<>();
    for (Types.NestedField column : columns) {
      Object value = record.getField(column.name());
      switch (column.name()) {
        case MetaColumns.RAW_ID -> rawId = value == null ? null : UUID.fromString(value.toString());
        case MetaColumns.EXTRACTED_AT -> extractedAt = (OffsetDateTime) value;
        case MetaColumns.META -> meta = value == null ? null : meta((Record) value);
        case MetaColumns.GENERATION_ID ->
            generationId = value == null ? OptionalLong.empty() : OptionalLong.of((Long) value);
        default -> values.put(column.name(), text(value));
      }
    }
    return new TableRow(rawId, extractedAt == null ? null : extractedAt.toInstant(), meta, generationId, values);
  }

  /** {@code _airbyte_meta}'s struct as the JSON the SQL destinations store. */
  private static JsonNode meta(Record struct) {
    ObjectNode meta = MessageCodec.MAPPER.createObjectNode();
    Object syncId = struct.getField("sync_id");
    if (syncId == null) {
      meta.putNull("sync_id");
    } else {
      meta.put("sync_id", (Long) syncId);
    }
    ArrayNode changes = meta.putArray("changes");
    Object list = struct.getField("changes");
    if (list != null) {
      for (Object element : (List<?>) list) {
        Record change = (Record) element;
        ObjectNode node = changes.addObject();
        for (String field : List.of("field", "change", "reason")) {
          Object text = change.getField(field);
          if (text == null) {
            node.putNull(field);
          } else {
            node.put(field, text.toString());
          }
        }
      }
    }
    return meta;
  }

  /** A user column's value in the text form the suites compare (ISO-8601 for dates and times). */
  private static String text(Object value) {
    if (value == null) {
      return null;
    } else if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    } else if (value instanceof CharSequence || value instanceof Long || value instanceof Integer
        || value instanceof Boolean || value instanceof Temporal) {
      return value.toString();
    }
    throw new IllegalArgumentException(
        "A value of " + value.getClass().getName() + " in a user column: the destination writes none");
  }

  private static TableIdentifier identifier(TableName table) {
    return TableIdentifier.of(Namespace.of(table.namespace()), table.name());
  }

  @Override
  public void close() {
    catalog.close();
  }
}
