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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The kit's exactly-once bookkeeping in the JDBC catalog's database, beside the catalog's own
 * tables: {@value #TABLE_NAME}, one row per Iceberg table of a catalog: its mark in {@code
 * committed_raw_id}, the ranges kept above it in {@code kept_ranges} (text, {@link
 * RawIdRange#format}; empty or NULL for none), the ids of the attempt, and in {@code source_state}
 * the JSON of the last STATE covering the table in this generation (the last three columns are added
 * to a table created before they existed). Each call
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
      + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL, kept_ranges VARCHAR, minimum_generation_id BIGINT,"
      + " source_state VARCHAR, PRIMARY KEY (catalog_name, table_namespace, table_name))";
  /**
   * The columns added after the first layout, with their types: a table created before one existed
   * gets it, and its rows hold NULL there (no range kept, minimum generation id 0, no state).
   */
  private static final Map<String, String> ADDED_COLUMNS = addedColumns();
  private static final String COLUMNS = "SELECT column_name FROM information_schema.columns WHERE table_schema ="
      + " current_schema() AND table_name = '" + TABLE_NAME + "'";
  private static final String SELECT = "SELECT table_namespace, table_name, committed_raw_id, attempt_finished,"
      + " kept_ranges, sync_id, generation_id, minimum_generation_id, source_state FROM " + TABLE_NAME + " WHERE catalog_name = ?";
  private static final String BEGIN = "INSERT INTO " + TABLE_NAME + " (catalog_name, table_namespace, table_name,"
      + " stream_namespace, stream_name, sync_id, generation_id, minimum_generation_id, committed_raw_id,"
      + " attempt_finished, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, CURRENT_TIMESTAMP) ON CONFLICT (catalog_name, table_namespace,"
      + " table_name) DO UPDATE SET stream_namespace = excluded.stream_namespace, stream_name = excluded.stream_name,"
      + " sync_id = excluded.sync_id, generation_id = excluded.generation_id,"
      + " minimum_generation_id = excluded.minimum_generation_id, committed_raw_id = excluded.committed_raw_id, kept_ranges = '', attempt_finished = FALSE,"
      + " updated_at = CURRENT_TIMESTAMP";
  /** Run before {@link #BEGIN}, which it compares with: forgets a state of another generation. */
  private static final String CLEAR_STATE_OF_OTHER_GENERATION = "UPDATE " + TABLE_NAME + " SET source_state = NULL"
      + " WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND generation_id <> ?";
  private static final String RECORD_STATE = "UPDATE " + TABLE_NAME + " SET source_state = ?,"
      + " updated_at = CURRENT_TIMESTAMP WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?";
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

  private static Map<String, String> addedColumns() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("kept_ranges", "VARCHAR");
    columns.put("minimum_generation_id", "BIGINT");
    columns.put("source_state", "VARCHAR");
    return columns;
  }

  /** One row of the checkpoint table. */
  private record Stored(Checkpoint checkpoint, StreamProgress progress) {}

  @Override
  public List<Optional<Checkpoint>> load() throws SQLException {
    Map<TableName, Stored> stored = read();
    List<Optional<Checkpoint>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      result.add(Optional.ofNullable(stored.get(stream.finalTable())).map(Stored::checkpoint));
    }
    return result;
  }

  /** What the table holds now (created or upgraded first, as {@link #load()} does). */
  @Override
  public List<Optional<StreamProgress>> loadProgress() throws SQLException {
    Map<TableName, Stored> stored = read();
    List<Optional<StreamProgress>> result = new ArrayList<>();
    for (StreamTables stream : tables.tables()) {
      result.add(Optional.ofNullable(stored.get(stream.finalTable())).map(Stored::progress));
    }
    return result;
  }

  private Map<TableName, Stored> read() throws SQLException {
    Map<TableName, Stored> stored = new HashMap<>();
    try (Connection connection = connect()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(CREATE);
        Set<String> present = new HashSet<>();
        try (ResultSet columns = statement.executeQuery(COLUMNS)) {
          while (columns.next()) {
            present.add(columns.getString(1).toLowerCase(Locale.ROOT));
          }
        }
        for (Map.Entry<String, String> column : ADDED_COLUMNS.entrySet()) {
          if (!present.contains(column.getKey())) {
            // IF NOT EXISTS: two attempts upgrading at once is harmless.
            statement.execute("ALTER TABLE " + TABLE_NAME + " ADD COLUMN IF NOT EXISTS " + column.getKey() + " "
                + column.getValue());
          }
        }
      }
      try (PreparedStatement select = connection.prepareStatement(SELECT)) {
        select.setString(1, config.catalogName());
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            TableName table = new TableName(rows.getString(1), rows.getString(2));
            boolean finished = rows.getBoolean(4);
            Checkpoint checkpoint = new Checkpoint(RawId.parse(rows.getString(3)), finished,
                keptRanges(table, rows.getString(5)));
            StreamProgress progress = new StreamProgress(rows.getLong(6), rows.getLong(7), rows.getLong(8), finished,
                rows.getString(9));
            stored.put(table, new Stored(checkpoint, progress));
          }
        }
      }
    }
    return stored;
  }

  /**
   * One transaction: each stream starts at {@code floor} with the ids of this attempt, keeping the
   * state recorded in the same generation and clearing one of another generation.
   */
  @Override
  public void begin(RawId floor) throws SQLException {
    Map<String, Batch> statements = new LinkedHashMap<>();
    statements.put(CLEAR_STATE_OF_OTHER_GENERATION, statement -> {
      for (StreamTables stream : tables.tables()) {
        statement.setString(1, config.catalogName());
        statement.setString(2, stream.finalTable().namespace());
        statement.setString(3, stream.finalTable().name());
        statement.setLong(4, stream.stream().generationId());
        statement.addBatch();
      }
    });
    statements.put(BEGIN, statement -> {
      for (StreamTables stream : tables.tables()) {
        statement.setString(1, config.catalogName());
        statement.setString(2, stream.finalTable().namespace());
        statement.setString(3, stream.finalTable().name());
        statement.setString(4, stream.stream().descriptor().namespace());
        statement.setString(5, stream.stream().descriptor().name());
        statement.setLong(6, stream.stream().syncId());
        statement.setLong(7, stream.stream().generationId());
        statement.setLong(8, stream.stream().minimumGenerationId());
        statement.setString(9, floor.toString());
        statement.addBatch();
      }
    });
    inTransaction(statements);
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
    advanceCoverage(coverage, Map.of());
  }

  /** The coverage and the states in one transaction. */
  @Override
  public void advanceCoverage(Map<Integer, Coverage> coverage, Map<Integer, String> states) throws SQLException {
    Map<String, Batch> statements = new LinkedHashMap<>();
    if (!coverage.isEmpty()) {
      statements.put(ADVANCE, statement -> {
        for (Map.Entry<Integer, Coverage> covered : coverage.entrySet()) {
          set(statement, tables.get(covered.getKey()).finalTable(), covered.getValue().mark(),
              covered.getValue().keptAbove());
        }
      });
    }
    if (!states.isEmpty()) {
      statements.put(RECORD_STATE, statement -> {
        for (Map.Entry<Integer, String> state : states.entrySet()) {
          TableName table = tables.get(state.getKey()).finalTable();
          statement.setString(1, state.getValue());
          statement.setString(2, config.catalogName());
          statement.setString(3, table.namespace());
          statement.setString(4, table.name());
          statement.addBatch();
        }
      });
    }
    if (!statements.isEmpty()) {
      inTransaction(statements);
    }
  }

  @Override
  public void finish(RawId end) throws SQLException {
    inTransaction(Map.of(FINISH, statement -> {
      for (StreamTables stream : tables.tables()) {
        set(statement, stream.finalTable(), end, List.of());
      }
    }));
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

  /** Runs the statements' batches, in the map's order, in one transaction. */
  private synchronized void inTransaction(Map<String, Batch> statements) throws SQLException {
    Connection connection = connection();
    try {
      connection.setAutoCommit(false);
      for (Map.Entry<String, Batch> entry : statements.entrySet()) {
        try (PreparedStatement statement = connection.prepareStatement(entry.getKey())) {
          entry.getValue().fill(statement);
          statement.executeBatch();
        }
      }
      connection.commit();
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
