package io.destkit.iceberg;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * Equality delete files (format version 2, merge-on-read): rows of earlier commits whose values in
 * the given columns equal one of the listed keys are deleted for readers. A delete never applies
 * to a data file committed with it or later.
 */
final class EqualityDeletes {
  private EqualityDeletes() {}

  /** The record's values of the key columns, as a record of {@code keySchema}. */
  static Record key(Schema keySchema, Record record) {
    GenericRecord key = GenericRecord.create(keySchema);
    for (Types.NestedField field : keySchema.columns()) {
      key.setField(field.name(), record.getField(field.name()));
    }
    return key;
  }

  /**
   * Writes the keys (records of {@code keySchema}, a selection of the table's columns) to a new
   * equality delete file, uncommitted.
   */
  static DeleteFile write(Table table, Schema keySchema, List<Record> keys) throws IOException {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + "-deletes.parquet");
    int[] ids = keySchema.columns().stream().mapToInt(Types.NestedField::fieldId).toArray();
    EqualityDeleteWriter<Record> writer = Parquet.writeDeletes(table.io().newOutputFile(location))
        .forTable(table)
        .rowSchema(keySchema)
        .set(TableProperties.PARQUET_COMPRESSION, "zstd")
        .createWriterFunc(GenericParquetWriter::create)
        .equalityFieldIds(ids)
        .overwrite()
        .buildEqualityWriter();
    try (writer) {
      for (Record key : keys) {
        writer.write(key);
      }
    }
    return writer.toDeleteFile();
  }
}
