package io.destkit.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.TableName;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.FieldType;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TargetLayout;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Arrow path into DuckDB: a batch held by column (its vectors lent as they are) and the same
 * records as rows load identical tables; every type reads back as it went in; a failed insert
 * reports DuckDB's error and commits nothing.
 */
class DuckDbArrowLoaderTest {
  private static final List<ColumnDef> COLUMNS = List.of(
      new ColumnDef("id", "id", AirbyteType.INTEGER, true),
      new ColumnDef("name", "name", AirbyteType.STRING, true),
      new ColumnDef("amount", "amount", AirbyteType.NUMBER, true),
      new ColumnDef("active", "active", AirbyteType.BOOLEAN, true),
      new ColumnDef("born", "born", AirbyteType.DATE, true),
      new ColumnDef("at", "at", AirbyteType.TIMESTAMP_WITH_TIMEZONE, true),
      new ColumnDef("local", "local", AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, true),
      new ColumnDef("opens", "opens", AirbyteType.TIME_WITH_TIMEZONE, true),
      new ColumnDef("closes", "closes", AirbyteType.TIME_WITHOUT_TIMEZONE, true),
      new ColumnDef("doc", "doc", AirbyteType.OBJECT_WITHOUT_SCHEMA, true));

  @TempDir Path tempDir;

  private static DestinationStream stream(String name) {
    Map<String, FieldType> fields = new LinkedHashMap<>();
    for (ColumnDef column : COLUMNS) {
      fields.put(column.sourceName(), new FieldType(column.type(), true));
    }
    return new DestinationStream(new StreamDescriptor("main", name), AirbyteType.UNKNOWN, fields, false,
        new ImportType.Append(), 7, 0, 3);
  }

  private static Object[] values(int i) {
    Object[] values = {
      (long) i * 1_000_003 - 7,
      "naïve \"" + i + "\", 'quoted'",
      new BigDecimal("12345678901234567890123456789.123456789").subtract(BigDecimal.valueOf(i)),
      i % 3 == 0,
      LocalDate.of(1900, 1, 1).plusDays(i * 37L),
      OffsetDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC).plusSeconds(i),
      LocalDateTime.of(2038, 1, 19, 3, 14, 7, 123_000).plusHours(i),
      OffsetTime.of(8, 30, 15, 250_000_000, ZoneOffset.ofHours(i % 2 == 0 ? 2 : -9)),
      LocalTime.of(0, 0, 0, 1_000).plusMinutes(i),
      "{\"n\":" + i + ",\"a\":[true,null]}"
    };
    if (i % 5 == 0) {
      values[i % values.length] = null;
    }
    return values;
  }

  private static List<Row> rows(int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(new Row(0x0190_0000_0000_7000L + i, 0x8000_0000_0000_0000L + i, 1_700_000_000_000L + i,
          i % 4 == 0 ? "[{\"field\":\"name\",\"change\":\"NULLED\",\"reason\":\"x\"}]" : null, values(i)));
    }
    return rows;
  }

  private static List<List<String>> contents(TableOperations operations, DuckDbDatabase database, TableName table)
      throws Exception {
    List<List<String>> contents = new ArrayList<>();
    try (Connection connection = database.open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM " + new DuckDbDialect().qualified(table)
            + " ORDER BY \"_airbyte_raw_id\"")) {
      int n = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rows.getString(i));
        }
        contents.add(row);
      }
    }
    return contents;
  }

  @Test
  void aBatchHeldByColumnAndTheSameRowsLoadIdenticalTablesOfEveryType() throws Exception {
    try (DuckDbDatabase database = DuckDbDatabase.open(tempDir.resolve("arrow.duckdb"));
        DuckDbArrowLoader loader = new DuckDbArrowLoader();
        BufferAllocator allocator = new RootAllocator()) {
      TableOperations operations = new TableOperations(database, new DuckDbDialect());
      TableName byColumn = new TableName("main", "by_column");
      TableName byRow = new TableName("main", "by_row");
      operations.createTable(byColumn, COLUMNS, false);
      operations.createTable(byRow, COLUMNS, false);
      List<Row> rows = rows(5_000);

      try (BatchColumns.Builder builder =
          new BatchColumns.Builder(COLUMNS, new DuckDbValueLimits().numbers(), allocator)) {
        for (Row row : rows) {
          builder.append(row.rawIdHigh(), row.rawIdLow(), row.extractedAtMillis(), row.changes(), row.values());
        }
        try (RecordBatch columns = new RecordBatch(0, 1, builder.drain(), 0)) {
          load(database, operations, loader, byColumn, columns);
        }
      }
      load(database, operations, loader, byRow, new RecordBatch(0, 1, rows, 0));

      List<List<String>> loaded = contents(operations, database, byColumn);
      assertThat(loaded).hasSize(rows.size()).isEqualTo(contents(operations, database, byRow));
      List<String> first = loaded.get(0);
      assertThat(UUID.fromString(first.get(0))).isEqualTo(new UUID(rows.get(0).rawIdHigh(), rows.get(0).rawIdLow()));
      assertThat(first.get(2)).isEqualTo(
          "{\"sync_id\":3,\"changes\":[{\"field\":\"name\",\"change\":\"NULLED\",\"reason\":\"x\"}]}");
      assertThat(first.get(3)).isEqualTo("7");
      assertThat(loaded.get(1).subList(4, 14)).containsExactly(
          "999996", "naïve \"1\", 'quoted'", "12345678901234567890123456788.123456789", "false", "1900-02-07",
          "1970-01-01T00:00:00.999999Z", "2038-01-19 04:14:07.000123", "08:30:15.250-09:00", "00:01:00.000001",
          "{\"n\":1,\"a\":[true,null]}");
      // Row 5 has its sixth value null (i % 10 == 5), row 0 its first.
      assertThat(loaded.get(0).get(4)).isNull();
      assertThat(loaded.get(5).get(9)).isNull();
    }
  }

  @Test
  void aTableColumnTheStreamDoesNotHaveIsLeftNullAndTableOrderDoesNotMatter() throws Exception {
    try (DuckDbDatabase database = DuckDbDatabase.open(tempDir.resolve("absent.duckdb"));
        DuckDbArrowLoader loader = new DuckDbArrowLoader();
        BufferAllocator allocator = new RootAllocator()) {
      TableOperations operations = new TableOperations(database, new DuckDbDialect());
      TableName table = new TableName("main", "kept");
      List<ColumnDef> reordered = new ArrayList<>(COLUMNS.subList(0, 3));
      java.util.Collections.reverse(reordered);
      reordered.add(new ColumnDef("gone", "gone", AirbyteType.STRING, true));
      operations.createTable(table, reordered, false);
      try (BatchColumns.Builder builder =
          new BatchColumns.Builder(COLUMNS.subList(0, 3), new DuckDbValueLimits().numbers(), allocator)) {
        builder.append(1, 2, 3, null, new Object[] {42L, "x", new BigDecimal("1.5")});
        try (RecordBatch batch = new RecordBatch(0, 1, builder.drain(), 0)) {
          load(database, operations, loader, table, batch, COLUMNS.subList(0, 3));
        }
      }
      List<List<String>> loaded = contents(operations, database, table);
      assertThat(loaded).hasSize(1);
      assertThat(loaded.get(0).subList(4, 8)).containsExactly("1.500000000", "x", "42", null);
    }
  }

  @Test
  void aFailedInsertReportsDuckDbsErrorAndCommitsNothing() throws Exception {
    try (DuckDbDatabase database = DuckDbDatabase.open(tempDir.resolve("strict.duckdb"));
        DuckDbArrowLoader loader = new DuckDbArrowLoader()) {
      TableOperations operations = new TableOperations(database, new DuckDbDialect());
      TableName table = new TableName("main", "strict");
      ColumnDef name = new ColumnDef("name", "name", AirbyteType.STRING, true);
      operations.createTable(table, List.of(name), false);
      operations.execute("ALTER TABLE main.strict ALTER COLUMN name SET NOT NULL");
      List<Row> rows = List.of(new Row(1, 1, 1_000, null, new Object[] {"ok"}), new Row(1, 2, 1_000, null, new Object[] {null}));

      Throwable failure = catchThrowable(
          () -> load(database, operations, loader, table, new RecordBatch(0, 1, rows, 0), List.of(name)));

      assertThat(failure).isNotNull();
      assertThat(failure.getMessage()).containsIgnoringCase("NOT NULL");
      assertThat(operations.countRows(table)).isZero();
    }
  }

  private static void load(
      DuckDbDatabase database, TableOperations operations, DuckDbArrowLoader loader, TableName table, RecordBatch batch)
      throws Exception {
    load(database, operations, loader, table, batch, COLUMNS);
  }

  /** One batch in one transaction, as the stream loaders run it. */
  private static void load(
      DuckDbDatabase database, TableOperations operations, DuckDbArrowLoader loader, TableName table,
      RecordBatch batch, List<ColumnDef> columns) throws Exception {
    TargetLayout layout = TargetLayout.of(new ArrayList<>(operations.columns(table).keySet()), columns);
    try (Connection connection = database.open()) {
      connection.setAutoCommit(false);
      try {
        loader.load(connection, table, layout, stream(table.name()), batch);
        connection.commit();
      } catch (Exception e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
