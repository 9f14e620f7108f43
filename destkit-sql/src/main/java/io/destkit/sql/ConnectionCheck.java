package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.FieldType;
import io.destkit.protocol.StreamDescriptor;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code --check} of a SQL destination: creates the schema if needed, then creates, bulk-writes,
 * counts and drops a probe table, through the same code paths a sync uses.
 */
public final class ConnectionCheck {
  private final TableOperations operations;
  private final BulkLoader bulkLoader;
  private final String namespace;

  public ConnectionCheck(TableOperations operations, BulkLoader bulkLoader, String namespace) {
    this.operations = operations;
    this.bulkLoader = bulkLoader;
    this.namespace = namespace;
  }

  public void run() throws SQLException {
    operations.createNamespace(namespace);
    TableName probe = new TableName(namespace, "_airbyte_connection_test_" + UUID.randomUUID().toString().replace("-", ""));
    ColumnDef column = new ColumnDef("test", "test", AirbyteType.STRING, true);
    Map<String, FieldType> fields = new LinkedHashMap<>();
    fields.put("test", new FieldType(AirbyteType.STRING, true));
    DestinationStream stream =
        new DestinationStream(
            new StreamDescriptor(namespace, probe.name()), AirbyteType.UNKNOWN, fields, false,
            new ImportType.Append(), 0, 0, 0);
    operations.createTable(probe, List.of(column), false);
    try {
      List<String> tableColumns = List.copyOf(operations.columns(probe).keySet());
      TargetLayout layout = TargetLayout.of(tableColumns, List.of(column));
      Row row = new Row(1, 1, System.currentTimeMillis(), null, new Object[] {"check"});
      try (Connection connection = operations.connections().open()) {
        connection.setAutoCommit(false);
        bulkLoader.load(connection, probe, layout, stream, new RecordBatch(0, 1, List.of(row), 0));
        connection.commit();
      }
      long count = operations.countRows(probe);
      if (count != 1) {
        throw new SQLException("the probe table " + probe + " holds " + count + " rows after writing 1");
      }
    } finally {
      operations.dropTable(probe);
    }
  }

}
