import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.write.SyncLog;
import io.destkit.sql.TableOperations;
import java.util.Arrays;
import java.util.List;

/**
 * What the close of a truncate refresh costs on PostgreSQL, {@link TableOperations#overwrite} timed
 * alone: for a final table with nothing to keep (the temp table is swapped in: a drop and a rename),
 * and for one with a grant (kept: its rows deleted and the temp table's copied in, one transaction).
 * Both tables hold N rows of the benchmarks' {@code users} shape, made by the server
 * ({@code generate_series}), vacuumed and analyzed, with a CHECKPOINT before each timed call.
 *
 * <pre>
 * java -cp destination-postgres/target/destination-postgres.jar:benchmarks/out/refresh RefreshCost JDBC_URL USER PASSWORD [N] [RUNS]
 * </pre>
 */
public final class RefreshCost {
  private static final List<ColumnDef> COLUMNS = List.of(
      new ColumnDef("id", "id", AirbyteType.INTEGER, true),
      new ColumnDef("name", "name", AirbyteType.STRING, true),
      new ColumnDef("email", "email", AirbyteType.STRING, true),
      new ColumnDef("age", "age", AirbyteType.INTEGER, true),
      new ColumnDef("created_at", "created_at", AirbyteType.TIMESTAMP_WITH_TIMEZONE, true),
      new ColumnDef("score", "score", AirbyteType.NUMBER, true),
      new ColumnDef("address", "address", AirbyteType.UNKNOWN, true));

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long rows = args.length > 3 ? Long.parseLong(args[3]) : 1_000_000;
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
    pool.setJdbcUrl(url);
    pool.setUsername(args[1]);
    pool.setPassword(args[2]);
    pool.setMaximumPoolSize(2);
    try (com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource(pool)) {
      io.destkit.postgres.PostgresDialect dialect = new io.destkit.postgres.PostgresDialect(false, 16);
      TableOperations operations = new TableOperations(dataSource::getConnection, dialect, SyncLog.NONE, false);
      operations.createNamespace("refresh_cost");
      operations.createNamespace("refresh_cost_raw");
      TableName finalTable = new TableName("refresh_cost", "users");
      TableName temp = new TableName("refresh_cost_raw", "refresh_cost_users_airbyte_tmp");
      for (String kind : List.of("swap (nothing to keep)", "copy (a grant to keep)")) {
        double[] seconds = new double[runs];
        for (int run = 0; run < runs; run++) {
          fill(operations, finalTable, rows);
          if (kind.startsWith("copy")) {
            operations.execute("GRANT SELECT ON " + dialect.qualified(finalTable) + " TO PUBLIC");
          }
          fill(operations, temp, rows);
          tryCheckpoint(operations);
          long start = System.nanoTime();
          operations.overwrite(temp, finalTable, COLUMNS, List.of());
          seconds[run] = (System.nanoTime() - start) / 1e9;
          if (operations.countRows(finalTable) != rows) {
            throw new IllegalStateException("the final table does not hold " + rows + " rows");
          }
        }
        Arrays.sort(seconds);
        System.out.printf("%-24s %,d rows: median %.2f s, runs %s%n", kind, rows, seconds[runs / 2], Arrays.toString(seconds));
      }
      operations.dropNamespace("refresh_cost");
      operations.dropNamespace("refresh_cost_raw");
    }
  }

  private static void fill(TableOperations operations, TableName table, long rows) throws Exception {
    operations.createTable(table, COLUMNS, true);
    operations.execute("INSERT INTO " + operations.dialect().qualified(table) + " SELECT gen_random_uuid()::text, now(),"
        + " '{\"sync_id\": 1, \"changes\": []}', 1, g, 'name ' || g, 'user' || g || '@example.com', g % 90,"
        + " now() - g * interval '1 second', g * 1.5, jsonb_build_object('city', 'c' || (g % 100), 'zip', g % 10000)"
        + " FROM generate_series(1, " + rows + ") g");
    operations.execute("VACUUM ANALYZE " + operations.dialect().qualified(table));
  }

  /** CHECKPOINT needs pg_checkpoint (PostgreSQL 15+) or a superuser; without it the runs go on without one. */
  private static void tryCheckpoint(TableOperations operations) {
    try {
      operations.execute("CHECKPOINT");
    } catch (java.sql.SQLException e) {
      System.err.println("no CHECKPOINT before the run: " + e.getMessage());
    }
  }
}
