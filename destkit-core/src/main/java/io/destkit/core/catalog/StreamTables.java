package io.destkit.core.catalog;

import io.destkit.core.stream.DestinationStream;
import java.util.List;

/** The tables and columns of one stream. Column order is the schema's field order. */
public record StreamTables(
    DestinationStream stream, TableName finalTable, TableName tempTable, List<ColumnDef> columns) {
  public StreamTables {
    columns = List.copyOf(columns);
  }
}
