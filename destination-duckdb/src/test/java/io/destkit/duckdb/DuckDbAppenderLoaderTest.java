package io.destkit.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.TableName;
import io.destkit.core.pipeline.RecordBatch;
import io.destkit.core.pipeline.Row;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.FieldType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TargetLayout;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Appender's flush error is the one reported, never hidden by its close (which, in DuckDB's
 * JDBC driver, flushes again and drops what that flush throws).
 */
class DuckDbAppenderLoaderTest {
  @TempDir Path tempDir;

  @Test
  void aFailedFlushIsTheErrorReportedAndNothingOfTheBatchIsCommitted() throws Exception {
    try (DuckDbDatabase database = DuckDbDatabase.open(tempDir.resolve("appender.duckdb"))) {
      TableOperations operations = new TableOperations(database, new DuckDbDialect());
      TableName table = new TableName("main", "strict");
      ColumnDef name = new ColumnDef("name", "name", AirbyteType.STRING, true);
      operations.createTable(table, List.of(name), false);
      // The user's NOT NULL, which the Appender checks only when it flushes.
      operations.execute("ALTER TABLE main.strict ALTER COLUMN name SET NOT NULL");
      List<String> columns = new ArrayList<>(operations.columns(table).keySet());
      TargetLayout layout = TargetLayout.of(columns, List.of(name));
      DestinationStream stream = new DestinationStream(new StreamDescriptor("main", "strict"), AirbyteType.UNKNOWN,
          Map.of("name", new FieldType(AirbyteType.STRING, true)), false, new ImportType.Append(), 0, 0, 0);
      List<Row> rows = List.of(new Row(1, 1, 1_000, null, new Object[] {null}));

      Throwable failure;
      try (Connection connection = database.open()) {
        failure = catchThrowable(() -> new DuckDbAppenderLoader()
            .load(connection, table, layout, stream, new RecordBatch(0, 1, rows, 0)));
      }

      assertThat(failure).isNotNull();
      assertThat(failure.getMessage()).containsIgnoringCase("NOT NULL");
      assertThat(operations.countRows(table)).isZero();
    }
  }
}
