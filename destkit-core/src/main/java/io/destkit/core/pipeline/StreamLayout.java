package io.destkit.core.pipeline;

import io.destkit.core.catalog.ColumnDef;
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
  /** Set for a schemaless stream: the whole data object goes to column 0. */
  private final ValueCoercer wholeRecord;

  StreamLayout(StreamTables tables, ValueLimits limits) {
    List<ColumnDef> columns = tables.columns();
    this.columnCount = columns.size();
    if (tables.stream().schemaless()) {
      wholeRecord = Coercers.forType(columns.get(0).type(), limits);
    } else {
      wholeRecord = null;
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
}
