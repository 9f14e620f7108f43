package io.destkit.iceberg;

import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * Removes from one branch of a table the rows an interrupted attempt committed after its last
 * emitted STATE: rows whose raw id is a version 7 id greater than the mark and in none of the kept
 * ranges (see {@link io.destkit.core.write.StreamLoader#discardAfter}). The files that may hold such
 * rows are found from the raw id's bounds: a file whose bounds lie inside one kept range is not
 * read; a file of such rows only is removed, the others' rows are deleted by raw id (an equality
 * delete), all in one commit.
 */
final class RowDiscard {
  private final Table table;
  private final StreamTables tables;
  private final String branch;

  RowDiscard(Table table, StreamTables tables, String branch) {
    this.table = table;
    this.tables = tables;
    this.branch = branch;
  }

  /** @return the number of rows removed */
  long after(RawId mark, List<RawIdRange> kept) throws IOException {
    if (table.snapshot(branch) == null) {
      return 0;
    }
    String bound = mark.toString();
    List<RawIdRange> keptAbove = RawIdRange.above(mark, kept);
    int rawIdField = table.schema().findField(MetaColumns.RAW_ID).fieldId();
    List<DataFile> candidates = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useRef(branch)
        .filter(Expressions.greaterThan(MetaColumns.RAW_ID, bound)).planFiles()) {
      for (FileScanTask task : tasks) {
        if (!insideOneRange(task.file(), rawIdField, keptAbove)) {
          candidates.add(task.file());
        }
      }
    }
    long removed = 0;
    List<Record> discardedIds = new ArrayList<>();
    RowDelta delta = table.newRowDelta().toBranch(branch);
    boolean changed = false;
    for (DataFile file : candidates) {
      List<Record> discarded = new ArrayList<>();
      long total = 0;
      for (Record record : read(file)) {
        total++;
        if (discarded((String) record.getField(MetaColumns.RAW_ID), bound, keptAbove)) {
          discarded.add(record);
        }
      }
      if (discarded.isEmpty()) {
        continue;
      }
      removed += discarded.size();
      changed = true;
      if (discarded.size() == total) {
        delta.removeRows(file);
      } else {
        discarded.forEach(record -> discardedIds.add(EqualityDeletes.key(rawIdSchema(), record)));
      }
    }
    if (!discardedIds.isEmpty()) {
      // Equality deletes, not rewritten files: a rewritten file would escape the deletes (of dedupe)
      // committed after the original.
      delta.addDeletes(EqualityDeletes.write(table, rawIdSchema(), discardedIds));
    }
    if (changed) {
      delta.commit();
    }
    return removed;
  }

  private Schema rawIdSchema() {
    return table.schema().select(MetaColumns.RAW_ID);
  }

  /** Only the kit's own ids (version 7, time-ordered) are compared with the mark and the kept ranges. */
  private static boolean discarded(String rawId, String bound, List<RawIdRange> keptAbove) {
    if (rawId == null || rawId.length() != 36 || rawId.charAt(14) != '7') {
      return false;
    }
    return rawId.compareTo(bound) > 0 && (keptAbove.isEmpty() || !RawIdRange.anyContains(keptAbove, RawId.parse(rawId)));
  }

  /**
   * Whether the file's raw ids all lie in one kept range, by its bounds (full metrics, see {@link
   * StreamTable}): then no row of it is removed. False when the bounds are missing or look truncated.
   */
  private static boolean insideOneRange(DataFile file, int rawIdField, List<RawIdRange> keptAbove) {
    if (keptAbove.isEmpty() || file.lowerBounds() == null || file.upperBounds() == null) {
      return false;
    }
    ByteBuffer lower = file.lowerBounds().get(rawIdField);
    ByteBuffer upper = file.upperBounds().get(rawIdField);
    if (lower == null || upper == null) {
      return false;
    }
    String low = Conversions.<CharSequence>fromByteBuffer(Types.StringType.get(), lower).toString();
    String high = Conversions.<CharSequence>fromByteBuffer(Types.StringType.get(), upper).toString();
    if (low.length() != 36 || high.length() != 36) {
      return false;
    }
    RawId first;
    RawId last;
    try {
      first = RawId.parse(low);
      last = RawId.parse(high);
    } catch (IllegalArgumentException notUuids) {
      return false;
    }
    for (RawIdRange range : keptAbove) {
      if (range.contains(first)) {
        return range.contains(last);
      }
    }
    return false;
  }

  private List<Record> read(DataFile file) throws IOException {
    Schema schema = table.schema();
    List<Record> records = new ArrayList<>();
    try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(file.location()))
        .project(schema)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
        .build()) {
      for (Record row : rows) {
        records.add(row.copy());
      }
    }
    return records;
  }
}
