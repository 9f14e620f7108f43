package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.write.Row;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
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

  /**
   * Writes one row's values in table column order: the meta columns from the row and the stream,
   * the user columns by the Java class of their value.
   *
   * @param meta the stream's {@code _airbyte_meta} renderer
   * @param generationId the stream's generation id
   */
  public void writeRow(Row row, AirbyteMeta meta, long generationId, RowWriter out) throws SQLException {
    Object[] values = row.values();
    for (int position = 0; position < sources.length; position++) {
      int source = sources[position];
      switch (source) {
        case RAW_ID -> out.rawId(row.rawIdHigh(), row.rawIdLow());
        case EXTRACTED_AT -> out.extractedAt(row.extractedAtMillis());
        case META -> out.meta(meta.render(row.changes()));
        case GENERATION_ID -> out.generationId(generationId);
        case ABSENT -> out.nullValue();
        default -> writeValue(values[source], out);
      }
    }
  }

  /** One user value (or null) by its Java class, to the writer method of that class. */
  public static void writeValue(Object value, RowWriter out) throws SQLException {
    if (value == null) {
      out.nullValue();
    } else if (value instanceof String text) {
      out.string(text);
    } else if (value instanceof Long number) {
      out.integer(number);
    } else if (value instanceof BigDecimal number) {
      out.number(number);
    } else if (value instanceof Boolean bool) {
      out.bool(bool);
    } else if (value instanceof OffsetDateTime instant) {
      out.timestampWithTimezone(instant);
    } else if (value instanceof LocalDateTime dateTime) {
      out.timestampWithoutTimezone(dateTime);
    } else if (value instanceof LocalDate date) {
      out.date(date);
    } else if (value instanceof OffsetTime time) {
      out.timeWithTimezone(time);
    } else if (value instanceof LocalTime time) {
      out.timeWithoutTimezone(time);
    } else {
      throw new SQLException("no bulk-load mapping for a value of " + value.getClass().getName());
    }
  }
}
