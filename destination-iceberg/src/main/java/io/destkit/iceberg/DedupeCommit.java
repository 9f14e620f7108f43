package io.destkit.iceberg;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.DedupeColumns;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.RecordBatch;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.vector.FieldVector;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Dedupe, merge-on-read: each batch is reduced to the newest version of each primary key, and a
 * version replaces the table's row of its key only when it is newer than that row (cursor
 * descending with nulls last, then {@code _airbyte_extracted_at}, then arrival order), so an
 * incoming record with an older cursor never replaces a stored newer one. The replaced rows are
 * deleted with an equality delete on the key (keys compare null-safely, as Iceberg's equality
 * deletes do) and the new versions added, in one commit. A CDC delete ({@code
 * _ab_cdc_deleted_at} set) that wins removes its key and adds no row (a hard delete), or is kept as
 * the key's row (a soft delete, the tombstone). Batches of one table are
 * committed one at a time, since each reads what the previous committed.
 */
final class DedupeCommit implements BatchCommit {
  /** Beyond this many distinct values, a key column does not narrow the scan of stored rows. */
  private static final int MAX_FILTER_VALUES = 10_000;

  private final Table table;
  private final StreamTables tables;
  private final ParquetBatchWriter writer;
  private final DedupeColumns key;
  private final boolean hardDelete;
  private final Comparator<Record> newestLast;
  /** The table's columns that order versions of a row: key, cursor, CDC delete, extracted at, raw id. */
  private final Schema versionSchema;

  /** @param hardDelete whether a winning CDC delete removes its key, or is kept as the key's tombstone row */
  DedupeCommit(Table table, StreamTables tables, ParquetBatchWriter writer, DedupeColumns key, boolean hardDelete) {
    this.table = table;
    this.tables = tables;
    this.writer = writer;
    this.key = key;
    this.hardDelete = hardDelete;
    this.newestLast = order(key);
    Set<String> names = new LinkedHashSet<>(key.primaryKey());
    key.cursor().ifPresent(names::add);
    key.cdcDeletedAt().ifPresent(names::add);
    names.add(MetaColumns.EXTRACTED_AT);
    names.add(MetaColumns.RAW_ID);
    this.versionSchema = table.schema().select(names);
  }

  /** Older versions first: cursor (nulls first), then extracted at, then raw id (arrival order). */
  private static Comparator<Record> order(DedupeColumns key) {
    Comparator<Record> order = (a, b) -> 0;
    if (key.cursor().isPresent()) {
      String cursor = key.cursor().get();
      order = Comparator.comparing(
          record -> comparable(record.getField(cursor)), Comparator.nullsFirst(Comparator.naturalOrder()));
    }
    return order
        .thenComparing(record -> (OffsetDateTime) record.getField(MetaColumns.EXTRACTED_AT))
        .thenComparing(record -> (String) record.getField(MetaColumns.RAW_ID));
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> comparable(Object value) {
    return (Comparable<Object>) value;
  }

  @Override
  public void commit(RecordBatch batch, String branch) throws IOException {
    writer.onColumns(batch, columns -> {
      upsert(new BatchVersions(columns), branch, rows -> writer.write(columns, rows, batch::progress));
      return null;
    });
  }

  /** Upserts these records (of the table's schema) into the branch, in one commit. */
  void commit(List<Record> records, String branch) throws IOException {
    Versions versions = new Versions() {
      @Override
      public int size() {
        return records.size();
      }

      @Override
      public List<Object> key(int version) {
        return keyOf(records.get(version));
      }

      @Override
      public Record record(int version) {
        return records.get(version);
      }

      @Override
      public int compare(int a, int b) {
        return newestLast.compare(records.get(a), records.get(b));
      }
    };
    upsert(versions, branch, rows -> {
      List<Record> added = new ArrayList<>(rows.length);
      for (int row : rows) {
        added.add(records.get(row));
      }
      return ParquetBatchWriter.write(table, added);
    });
  }

  /** Writes the given rows (indices into the versions) to a new data file, uncommitted. */
  @FunctionalInterface
  private interface RowsWriter {
    DataFile write(int[] rows) throws IOException;
  }

  /** Incoming versions of rows, by index. */
  private interface Versions {
    int size();

    /** The version's primary key values. */
    List<Object> key(int version);

    /** The version as a record holding at least the key, cursor, CDC delete, extracted at and raw id columns. */
    Record record(int version);

    /** As {@code newestLast} orders the two versions' records. */
    int compare(int a, int b);
  }

  /**
   * The rows of a batch as versions, read from the vectors: a key per row is made (it is looked
   * up in the table); a row's record only when it is compared with a stored row or checked for a
   * CDC delete. Rows of one key within the batch compare their cursors, then extracted at, then
   * raw ids, as {@code newestLast} compares their records.
   */
  private final class BatchVersions implements Versions {
    private final BatchColumns columns;
    /** The stream column of each field of the version schema, or -1 for a meta column. */
    private final int[] streamColumns;
    private final IcebergTypes.ValueReader[] readers;
    private final int[] keyFields;
    private final int cursorField;

    BatchVersions(BatchColumns columns) {
      this.columns = columns;
      List<Types.NestedField> fields = versionSchema.columns();
      this.streamColumns = new int[fields.size()];
      this.readers = new IcebergTypes.ValueReader[fields.size()];
      for (int field = 0; field < fields.size(); field++) {
        streamColumns[field] = streamColumn(fields.get(field).name());
        if (streamColumns[field] >= 0) {
          readers[field] = IcebergTypes.mapping(columns.kind(streamColumns[field])).reader();
        }
      }
      this.keyFields = new int[key.primaryKey().size()];
      for (int i = 0; i < keyFields.length; i++) {
        keyFields[i] = fieldIndex(key.primaryKey().get(i));
      }
      this.cursorField = key.cursor().map(this::fieldIndex).orElse(-1);
    }

    private int fieldIndex(String name) {
      List<Types.NestedField> fields = versionSchema.columns();
      for (int field = 0; field < fields.size(); field++) {
        if (fields.get(field).name().equals(name)) {
          return field;
        }
      }
      throw new IllegalStateException("Table " + tables.finalTable() + " has no column " + name);
    }

    private Object value(int field, int row) {
      int column = streamColumns[field];
      if (column < 0) {
        return null;
      }
      FieldVector vector = columns.vector(column);
      return vector.isNull(row) ? null : readers[field].read(vector, row);
    }

    @Override
    public int size() {
      return columns.size();
    }

    @Override
    public List<Object> key(int row) {
      Object[] values = new Object[keyFields.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = value(keyFields[i], row);
      }
      return Arrays.asList(values);
    }

    @Override
    public Record record(int row) {
      GenericRecord version = GenericRecord.create(versionSchema);
      for (int field = 0; field < streamColumns.length; field++) {
        version.set(field, value(field, row));
      }
      version.setField(MetaColumns.EXTRACTED_AT,
          Instant.ofEpochMilli(columns.extractedAtMillis(row)).atOffset(ZoneOffset.UTC));
      version.setField(MetaColumns.RAW_ID, new UUID(columns.rawIdHigh(row), columns.rawIdLow(row)).toString());
      return version;
    }

    @Override
    public int compare(int a, int b) {
      if (cursorField >= 0) {
        Object cursorA = value(cursorField, a);
        Object cursorB = value(cursorField, b);
        if (cursorA == null || cursorB == null) {
          if (cursorA != cursorB) {
            return cursorA == null ? -1 : 1;
          }
        } else {
          int order = comparable(cursorA).compareTo(cursorB);
          if (order != 0) {
            return order;
          }
        }
      }
      int order = Long.compare(columns.extractedAtMillis(a), columns.extractedAtMillis(b));
      if (order != 0) {
        return order;
      }
      // The raw id's text orders as its bits do, unsigned: fixed-width lowercase hex.
      order = Long.compareUnsigned(columns.rawIdHigh(a), columns.rawIdHigh(b));
      return order != 0 ? order : Long.compareUnsigned(columns.rawIdLow(a), columns.rawIdLow(b));
    }
  }

  private int streamColumn(String name) {
    List<ColumnDef> columns = tables.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Upserts the newest of these versions of each key into the branch, in one commit; {@code
   * writer} writes the versions added.
   */
  private synchronized void upsert(Versions versions, String branch, RowsWriter writer) throws IOException {
    Map<List<Object>, Integer> newest = new LinkedHashMap<>();
    for (int i = 0; i < versions.size(); i++) {
      newest.merge(versions.key(i), i, (a, b) -> versions.compare(a, b) >= 0 ? a : b);
    }
    Map<List<Object>, Record> stored = storedRows(newest.keySet(), branch);
    Schema keySchema = table.schema().select(key.primaryKey());
    List<Record> replacedKeys = new ArrayList<>();
    int[] added = new int[newest.size()];
    int addedCount = 0;
    for (Map.Entry<List<Object>, Integer> entry : newest.entrySet()) {
      Record current = stored.get(entry.getKey());
      Record version = current != null || hardDelete ? versions.record(entry.getValue()) : null;
      if (current != null && newestLast.compare(version, current) <= 0) {
        continue;
      }
      if (current != null) {
        replacedKeys.add(EqualityDeletes.key(keySchema, version));
      }
      if (!hardDelete || !isDelete(version)) {
        added[addedCount++] = entry.getValue();
      }
    }
    if (addedCount == 0 && replacedKeys.isEmpty()) {
      return;
    }
    RowDelta delta = table.newRowDelta().toBranch(branch);
    if (addedCount > 0) {
      delta.addRows(writer.write(Arrays.copyOf(added, addedCount)));
    }
    if (!replacedKeys.isEmpty()) {
      delta.addDeletes(EqualityDeletes.write(table, keySchema, replacedKeys));
    }
    delta.commit();
  }

  private boolean isDelete(Record record) {
    return key.cdcDeletedAt().map(column -> record.getField(column) != null).orElse(false);
  }

  private List<Object> keyOf(Record record) {
    Object[] values = new Object[key.primaryKey().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = record.getField(key.primaryKey().get(i));
    }
    return Arrays.asList(values);
  }

  /** The newest stored row of each of these keys on the branch (deletes applied). */
  private Map<List<Object>, Record> storedRows(Set<List<Object>> keys, String branch) throws IOException {
    Map<List<Object>, Record> stored = new HashMap<>();
    Snapshot snapshot = table.snapshot(branch);
    if (snapshot == null) {
      return stored;
    }
    List<String> columns = new ArrayList<>(key.primaryKey());
    key.cursor().filter(cursor -> !columns.contains(cursor)).ifPresent(columns::add);
    columns.add(MetaColumns.EXTRACTED_AT);
    columns.add(MetaColumns.RAW_ID);
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
        .useSnapshot(snapshot.snapshotId())
        .where(filter(keys))
        .select(columns)
        .build()) {
      for (Record row : rows) {
        List<Object> rowKey = keyOf(row);
        if (keys.contains(rowKey)) {
          stored.merge(rowKey, row.copy(), (a, b) -> newestLast.compare(a, b) >= 0 ? a : b);
        }
      }
    }
    return stored;
  }

  /**
   * A filter that keeps every stored row of these keys (and maybe others): for each key column of
   * integer or string type, its values (and null when a key has none).
   */
  private Expression filter(Set<List<Object>> keys) {
    Expression filter = Expressions.alwaysTrue();
    for (int i = 0; i < key.primaryKey().size(); i++) {
      String column = key.primaryKey().get(i);
      Type.TypeID type = table.schema().findType(column).typeId();
      if (type != Type.TypeID.LONG && type != Type.TypeID.STRING) {
        continue;
      }
      Set<Object> values = new HashSet<>();
      boolean hasNull = false;
      for (List<Object> keyValues : keys) {
        Object value = keyValues.get(i);
        if (value == null) {
          hasNull = true;
        } else {
          values.add(value);
        }
      }
      if (values.size() > MAX_FILTER_VALUES) {
        continue;
      }
      Expression matches = values.isEmpty() ? Expressions.alwaysFalse() : Expressions.in(column, values);
      if (hasNull) {
        matches = Expressions.or(matches, Expressions.isNull(column));
      }
      filter = Expressions.and(filter, matches);
    }
    return filter;
  }
}
