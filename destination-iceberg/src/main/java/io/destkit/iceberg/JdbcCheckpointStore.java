package io.destkit.iceberg;

import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The kit's exactly-once bookkeeping in the JDBC catalog's database, beside the catalog's own
 * tables: {@value #TABLE_NAME}, one row per Iceberg table of a catalog: its mark in {@code
 * committed_raw_id}, the ranges kept above it in {@code kept_ranges} (text, {@link
 * RawIdRange#format}; empty or NULL for none; added to a table created before it existed). Each call
 * is one short transaction on the store's one connection, opened on first use and again after a
 * failure (a new PostgreSQL connection costs tens of milliseconds, and a sync records one checkpoint
 * per group of STATEs); {@link #close} closes it.
 */
final class JdbcCheckpointStore implements CheckpointStore, AutoCloseable {
  static final String TABLE_NAME = "destkit_sync_checkpoints";

  private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE_NAME + " ("
      + "catalog_name VARCHAR NOT NULL, table_namespace VARCHAR NOT NULL, table_name VARCHAR NOT NULL,"
      + " stream_namespace VARCHAR, stream_name VARCHAR NOT NULL, sync_id BIGINT NOT NULL,"
      + " generation_id BIGINT NOT NULL, committed_raw_id VARCHAR NOT NULL, attempt_finished BOOLEAN NOT NULL,"
      + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL, kept_ranges VARCHAR,"
      + " PRIMARY KEY (catalog_name, table_namespace, table_name))";
  /** A table created before kept ranges existed gets the column (its rows: NULL, no range kept). */
  static final String ADD_KEPT_RANGES = "ALTER TABLE " + TABLE_NAME + " ADD COLUMN IF NOT EXISTS kept_ranges VARCHAR";
  private static final String HAS_KEPT_RANGES = "SELECT 1 FROM information_schema.columns WHERE table_schema ="
      + " current_schema() AND table_name = '" + TABLE_NAME + "' AND column_name = 'kept_ranges'";
  private static final String SELECT = "SELECT table_namespace, table_name, committed_raw_id, attempt_finished,"
      + " kept_ranges FROM " + TABLE_NAME + " WHERE catalog_name = ?";
  private static final String BEGIN = "INSERT INTO " + TABLE_NAME + " (catalog_name, table_namespace, table_name,"
      + " stream_namespace, stream_name, sync_id, generation_id, committed_raw_id, attempt_finished, updated_at)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, CURRENT_TIMESTAMP) ON CONFLICT (catalog_name, table_namespace,"
      + " table_name) DO UPDATE SET stream_namespace = excluded.stream_namespace, stream_name = excluded.stream_name,"
      + " sync_id = excluded.sync_id, generation_id = excluded.generation_id,"
      + " committed_raw_id = excluded.committed_raw_id, kept_ranges = '', attempt_finished = FALSE,"
      + " updated_at = CURRENT_TIMESTAMP";
  private static final String ADVANCE = "UPDATE " + TABLE_NAME + " SET committed_raw_id = ?, kept_ranges = ?,"
      + " updated_at = CURRENT_TIMESTAMP WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?";
  private static final String FINISH = "UPDATE " + TABLE_NAME + " SET committed_raw_id = ?, kept_ranges = ?,"
      + " attempt_finished = TRUE, updated_at = CURRENT_TIMESTAMP WHERE catalog_name = ? AND table_namespace = ?"
      + " AND table_name = ?";

  private final IcebergConfig.JdbcCatalogConfig config;
  private final TableCatalog tables;
  /** The connection of the calls, or null before the first and after a failure. */
  private Connection open;

  JdbcCheckpointStore(IcebergConfig.JdbcCatalogConfig config, TableCatalog tables) {
    this.config = config;
    this.tables = tables;
  }

  @Override
  public List<Optional<Checkpoint>> load() throws SQLException {
    Map<TableName, Checkpoint> stored = new HashMap<>();
    try (Connection connection = connect()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(CREATE);
        boolean hasKeptRanges;
        try (ResultSet column = statement.executeQuery(HAS_KEPT_RANGES)) {
          hasKeptRanges = column.next();
        }
        if (!hasKeptRanges) {
          statement.execute(ADD_KEPT_RANGES);
        }
      }
      try (PreparedStatement select = connection.prepareStatement(SELECT)) {
        select.setString(1, config.catalogName());
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            TableName table = new TableName(rows.getString(1), rows.getString(2));
            stored.put(table, new Checkpoint(RawId.parse(rows.getString(3)), rows.getBoolean(4),
                keptRanges(table, rows.getString(5))));
          }
        }
      }
    }
    List<Optional<Checkpoint>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      result.add(Optional.ofNullable(stored.get(stream.finalTable())));
    }
    return result;
  }

  @Override
  public void begin(RawId floor) throws SQLException {
    inTransaction(BEGIN, statement -> {
      for (StreamTables stream : tables.tables()) {
        statement.setString(1, config.catalogName());
        statement.setString(2, stream.finalTable().namespace());
        statement.setString(3, stream.finalTable().name());
        statement.setString(4, stream.stream().descriptor().namespace());
        statement.setString(5, stream.stream().descriptor().name());
        statement.setLong(6, stream.stream().syncId());
        statement.setLong(7, stream.stream().generationId());
        statement.setString(8, floor.toString());
        statement.addBatch();
      }
    });
  }

  private static List<RawIdRange> keptRanges(TableName table, String text) {
    try {
      return RawIdRange.parseList(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The checkpoint of table " + table.namespace() + "." + table.name() + " in "
          + TABLE_NAME + " has unreadable kept_ranges: " + e.getMessage(), e);
    }
  }

  @Override
  public void advanceCoverage(Map<Integer, Coverage> coverage) throws SQLException {
    inTransaction(ADVANCE, statement -> {
      for (Map.Entry<Integer, Coverage> covered : coverage.entrySet()) {
        set(statement, tables.get(covered.getKey()).finalTable(), covered.getValue().mark(),
            covered.getValue().keptAbove());
      }
    });
  }

  @Override
  public void finish(RawId end) throws SQLException {
    inTransaction(FINISH, statement -> {
      for (StreamTables stream : tables.tables()) {
        set(statement, stream.finalTable(), end, List.of());
      }
    });
  }

  private void set(PreparedStatement statement, TableName table, RawId mark, List<RawIdRange> kept)
      throws SQLException {
    statement.setString(1, mark.toString());
    statement.setString(2, RawIdRange.format(kept));
    statement.setString(3, config.catalogName());
    statement.setString(4, table.namespace());
    statement.setString(5, table.name());
    statement.addBatch();
  }

  @FunctionalInterface
  private interface Batch {
    void fill(PreparedStatement statement) throws SQLException;
  }

  private synchronized void inTransaction(String sql, Batch batch) throws SQLException {
    Connection connection = connection();
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        batch.fill(statement);
        statement.executeBatch();
        connection.commit();
      }
    } catch (SQLException | RuntimeException e) {
      // The next call starts on a new connection; the transaction did not commit.
      discard(e);
      throw e;
    }
  }

  private Connection connection() throws SQLException {
    if (open == null || open.isClosed()) {
      open = connect();
    }
    return open;
  }

  private void discard(Exception failure) {
    Connection connection = open;
    open = null;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException closing) {
        failure.addSuppressed(closing);
      }
    }
  }

  /** Closes the store's connection. */
  @Override
  public synchronized void close() {
    if (open != null) {
      try {
        open.close();
      } catch (SQLException ignored) {
        // Nothing is pending on it: every call committed or rolled back.
      } finally {
        open = null;
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", config.username());
    properties.setProperty("password", config.password());
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("ApplicationName", "destination-iceberg");
    return DriverManager.getConnection(config.jdbcUrl(), properties);
  }
}
