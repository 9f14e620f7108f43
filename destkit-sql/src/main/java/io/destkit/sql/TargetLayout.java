package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import java.util.List;

/**
 * How a table's actual columns, in table order, are filled from a row: a meta column, a user column
 * of the stream, or nothing (a column the stream no longer has, left NULL).
 */
public final class TargetLayout {
  /** Source codes below zero; a value of zero or more is the index of a user column. */
  public static final int RAW_ID = -1;
  public static final int EXTRACTED_AT = -2;
  public static final int META = -3;
  public static final int GENERATION_ID = -4;
  public static final int ABSENT = -5;

  private final List<String> tableColumns;
  private final int[] sources;
  private final ColumnDef[] userColumns;

  private TargetLayout(List<String> tableColumns, int[] sources, ColumnDef[] userColumns) {
    this.tableColumns = List.copyOf(tableColumns);
    this.sources = sources;
    this.userColumns = userColumns;
  }

  /** Maps a table's columns (names in table order) to the stream's columns. */
  public static TargetLayout of(List<String> tableColumns, List<ColumnDef> streamColumns) {
    int[] sources = new int[tableColumns.size()];
    ColumnDef[] users = new ColumnDef[tableColumns.size()];
    for (int i = 0; i < tableColumns.size(); i++) {
      String name = tableColumns.get(i);
      sources[i] = switch (name) {
        case MetaColumns.RAW_ID -> RAW_ID;
        case MetaColumns.EXTRACTED_AT -> EXTRACTED_AT;
        case MetaColumns.META -> META;
        case MetaColumns.GENERATION_ID -> GENERATION_ID;
        default -> ABSENT;
      };
      if (sources[i] == ABSENT) {
        for (int k = 0; k < streamColumns.size(); k++) {
          if (streamColumns.get(k).name().equals(name)) {
            sources[i] = k;
            users[i] = streamColumns.get(k);
            break;
          }
        }
      }
    }
    return new TargetLayout(tableColumns, sources, users);
  }

  public int size() {
    return sources.length;
  }

  public String columnName(int position) {
    return tableColumns.get(position);
  }

  /** A meta code or the user column index that fills table column {@code position}. */
  public int source(int position) {
    return sources[position];
  }

  /** The stream column filling table column {@code position}, or null for meta and absent columns. */
  public ColumnDef userColumn(int position) {
    return userColumns[position];
  }
}
