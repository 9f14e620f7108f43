package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.stream.DestinationStream;
import io.destkit.protocol.MessageCodec;
import io.destkit.sql.BulkLoader;
import io.destkit.sql.ConnectionSource;
import io.destkit.sql.SqlDialect;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TargetLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A destination's database as a test sees it: the kit's table operations and the destination's
 * bulk loader over it, and what to close afterwards. Reads use plain JDBC, so they do not depend on
 * the code under test.
 */
public record TestDatabase(TableOperations operations, BulkLoader bulkLoader, AutoCloseable resources)
    implements TableReader {

  /** Table operations over a database that is closed with this. */
  public static <D extends ConnectionSource & AutoCloseable> TestDatabase of(
      D database, SqlDialect dialect, BulkLoader bulkLoader) {
    return new TestDatabase(new TableOperations(database, dialect), bulkLoader, database);
  }

  @Override
  public boolean namespaceExists(String namespace) throws SQLException {
    try (Connection connection = operations.connections().open();
        PreparedStatement statement =
            connection.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      statement.setString(1, namespace);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** Bulk-loads one batch of the stream's rows into the table through the destination's loader, and commits. */
  public void load(TableName table, List<ColumnDef> columns, DestinationStream stream, RecordBatch batch)
      throws SQLException {
    TargetLayout layout = TargetLayout.of(List.copyOf(operations.columns(table).keySet()), columns);
    try (Connection connection = operations.connections().open()) {
      connection.setAutoCommit(false);
      bulkLoader.load(connection, table, layout, stream, batch);
      connection.commit();
    }
  }

  @Override
  public boolean tableExists(TableName table) throws SQLException {
    return operations.tableExists(table);
  }

  @Override
  public List<String> columnNames(TableName table) throws SQLException {
    return List.copyOf(operations.columns(table).keySet());
  }

  /** Inserts the row with one SQL {@code INSERT} of literals, which the database casts to the columns' types. */
  public void insert(TableName table, TableRow row) throws SQLException {
    List<String> columns = new ArrayList<>(MetaColumns.ALL);
    List<String> literals = new ArrayList<>(List.of(literal(row.rawId().toString()),
        literal(row.extractedAt().toString()), literal(MessageCodec.encode(row.meta())),
        row.generationId().isPresent() ? Long.toString(row.generationId().getAsLong()) : "NULL"));
    row.values().forEach((column, text) -> {
      columns.add(column);
      literals.add(text == null ? "NULL" : literal(text));
    });
    operations.execute("INSERT INTO " + operations.dialect().qualified(table) + " ("
        + operations.dialect().columnList(columns, null) + ") VALUES (" + String.join(", ", literals) + ")");
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** Every row of the table, in no particular order. */
  @Override
  public List<TableRow> rows(TableName table) throws SQLException {
    List<TableRow> result = new ArrayList<>();
    try (Connection connection = operations.connections().open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM " + operations.dialect().qualified(table))) {
      ResultSetMetaData columns = rows.getMetaData();
      while (rows.next()) {
        result.add(read(rows, columns));
      }
    }
    return result;
  }

  private static TableRow read(ResultSet rows, ResultSetMetaData columns) throws SQLException {
    UUID rawId = null;
    OffsetDateTime extractedAt = null;
    String meta = null;
    OptionalLong generationId = OptionalLong.empty();
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 1; i <= columns.getColumnCount(); i++) {
      switch (columns.getColumnLabel(i)) {
        case MetaColumns.RAW_ID -> rawId = UUID.fromString(rows.getString(i));
        case MetaColumns.EXTRACTED_AT -> extractedAt = rows.getObject(i, OffsetDateTime.class);
        case MetaColumns.META -> meta = rows.getString(i);
        case MetaColumns.GENERATION_ID -> {
          long value = rows.getLong(i);
          generationId = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
        }
        default -> values.put(columns.getColumnLabel(i), rows.getString(i));
      }
    }
    return new TableRow(rawId, extractedAt == null ? null : extractedAt.toInstant(), parse(meta), generationId, values);
  }

  private static JsonNode parse(String json) {
    try {
      return json == null ? null : MessageCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("_airbyte_meta is not JSON: " + json, e);
    }
  }

  @Override
  public void close() throws Exception {
    resources.close();
  }
}
