package io.destkit.core.pipeline;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.typing.Coercers;
import io.destkit.core.typing.ValueCoercer;
import io.destkit.core.typing.ValueLimits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Where each field of a stream's record data goes: its column position and its coercer. */
final class StreamLayout {
  record Slot(int index, String field, ValueCoercer coercer) {}

  private final Map<String, Slot> slots = new HashMap<>();
  private final int columnCount;
  /** Set for a schemaless stream: the whole data object goes to the column {@code _airbyte_data}. */
  private final ValueCoercer wholeRecord;
  private final int wholeRecordIndex;

  StreamLayout(StreamTables tables, ValueLimits limits) {
    List<ColumnDef> columns = tables.columns();
    this.columnCount = columns.size();
    if (tables.stream().schemaless()) {
      int index = 0;
      while (index < columns.size() - 1 && !columns.get(index).name().equals(MetaColumns.DATA)) {
        index++;
      }
      wholeRecordIndex = index;
      wholeRecord = Coercers.forType(columns.get(index).type(), limits);
    } else {
      wholeRecord = null;
      wholeRecordIndex = -1;
      for (int i = 0; i < columns.size(); i++) {
        ColumnDef column = columns.get(i);
        slots.put(column.sourceName(), new Slot(i, column.sourceName(), Coercers.forType(column.type(), limits)));
      }
    }
  }

  Slot slot(String field) {
    return slots.get(field);
  }

  int columnCount() {
    return columnCount;
  }

  ValueCoercer wholeRecord() {
    return wholeRecord;
  }

  /** The column of the whole data object of a schemaless stream; -1 for other streams. */
  int wholeRecordIndex() {
    return wholeRecordIndex;
  }
}
