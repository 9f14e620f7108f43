package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plain SQL over the database a connector process wrote (through a {@link TestDatabase}), with each
 * value in one form whatever the database: so one expectation holds for DuckDB and PostgreSQL.
 *
 * <ul>
 *   <li>timestamp with time zone: an {@link java.time.Instant}; without: a {@link LocalDateTime}
 *   <li>date, time, time with time zone: {@link LocalDate}, {@link LocalTime}, {@link OffsetTime}
 *   <li>JSON and jsonb: a Jackson tree (so key order and spacing do not matter)
 *   <li>decimal and numeric: a {@link BigDecimal} as {@link #decimal} makes it
 * </ul>
 */
public final class DatabaseReader {
  private final TestDatabase database;

  public DatabaseReader(TestDatabase database) {
    this.database = database;
  }

  /** The rows of a query as column-to-value maps, in result order. */
  public List<Map<String, Object>> query(String sql) {
    try (Connection connection = database.operations().connections().open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rows.getMetaData();
      List<Map<String, Object>> result = new ArrayList<>();
      while (rows.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), value(rows, i, meta.getColumnTypeName(i)));
        }
        result.add(row);
      }
      return result;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  /** Hands each row of a query to {@code handler}, without keeping the rows (for large tables). */
  public void scan(String sql, RowHandler handler) {
    try (Connection connection = database.operations().connections().open();
        Statement statement = connection.createStatement()) {
      // PostgreSQL streams a result in fetchSize chunks only inside a transaction.
      connection.setAutoCommit(false);
      statement.setFetchSize(10_000);
      try (ResultSet rows = statement.executeQuery(sql)) {
        while (rows.next()) {
          handler.row(rows);
        }
      }
      connection.rollback();
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  /** One row of {@link #scan}. */
  @FunctionalInterface
  public interface RowHandler {
    void row(ResultSet row) throws SQLException;
  }

  /** An identifier quoted as the destination's dialect quotes it. */
  public String quote(String identifier) {
    return database.operations().dialect().quote(identifier);
  }

  /** A table name quoted as the destination's dialect quotes it: {@code "schema"."table"}. */
  public String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /** Runs statements, each committed on its own. */
  public void execute(String... statements) {
    try (Connection connection = database.operations().connections().open();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new AssertionError("statement failed", e);
    }
  }

  /** The single value of a one-row, one-column query. */
  public Object queryValue(String sql) {
    List<Map<String, Object>> rows = query(sql);
    assertThat(rows).as(sql).hasSize(1);
    assertThat(rows.get(0)).as(sql).hasSize(1);
    return rows.get(0).values().iterator().next();
  }

  public long count(String table) {
    return ((Number) queryValue("SELECT count(*) AS n FROM " + table)).longValue();
  }

  /** The table's column names and {@code information_schema} data types, lower-cased, in table order. */
  public Map<String, String> columns(String schema, String table) {
    Map<String, String> columns = new LinkedHashMap<>();
    for (Map<String, Object> row :
        query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '" + schema
            + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
      columns.put((String) row.get("column_name"), ((String) row.get("data_type")).toLowerCase(Locale.ROOT));
    }
    return columns;
  }

  /**
   * The tables of the streams as {@code schema.table}, sorted: the database's own catalogs and the
   * kit's checkpoint table left out (see {@link #allTables()}).
   */
  public List<String> tables() {
    return allTables().stream().filter(table -> !table.endsWith("." + CHECKPOINT_TABLE)).toList();
  }

  /** Every table as {@code schema.table}, sorted, the kit's checkpoint table included. */
  public List<String> allTables() {
    return query("SELECT table_schema || '.' || table_name AS t FROM information_schema.tables"
            + " WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY t").stream()
        .map(row -> (String) row.get("t"))
        .toList();
  }

  /** The name of the table where the kit records what the emitted STATEs cover. */
  public static final String CHECKPOINT_TABLE = "_destkit_sync_checkpoints";

  private static Object value(ResultSet rows, int column, String typeName) throws SQLException {
    Object value = rows.getObject(column);
    if (value == null) {
      return null;
    }
    switch (typeName.toLowerCase(Locale.ROOT)) {
      case "timestamp with time zone", "timestamptz":
        return rows.getObject(column, OffsetDateTime.class).toInstant();
      case "time with time zone", "timetz":
        return rows.getObject(column, OffsetTime.class);
      case "json", "jsonb":
        return ConnectorProcess.readJson(rows.getString(column));
      default:
        break;
    }
    if (value instanceof java.sql.Timestamp) {
      return rows.getObject(column, LocalDateTime.class);
    }
    if (value instanceof java.sql.Date) {
      return rows.getObject(column, LocalDate.class);
    }
    if (value instanceof java.sql.Time) {
      return rows.getObject(column, LocalTime.class);
    }
    if (value instanceof BigDecimal number) {
      return decimal(number);
    }
    return value;
  }

  /** A row as column-to-value pairs, in the form {@link #query} returns; values may be null. */
  public static Map<String, Object> row(Object... pairs) {
    assertThat(pairs.length % 2).as("column-value pairs").isZero();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      row.put((String) pairs[i], pairs[i + 1]);
    }
    return row;
  }

  /** A decimal in the form {@link #query} returns: no trailing zeros, scale at least 0. */
  public static BigDecimal decimal(Object number) {
    BigDecimal value = new BigDecimal(number.toString()).stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0) : value;
  }
}
