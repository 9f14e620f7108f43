import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.RawId;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import io.destkit.sql.ConnectionSource;
import io.destkit.sql.SqlCheckpointStore;
import io.destkit.sql.SqlDialect;
import io.destkit.sql.TableOperations;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What recording one STATE's checkpoint costs: the latency of {@link SqlCheckpointStore#advance}
 * (one transaction), for one stream (a STREAM state) and for every stream of a 10-stream catalog (a
 * GLOBAL state). Runs against the database a destination writes to.
 *
 * <pre>
 * java -cp destination-duckdb/target/destination-duckdb.jar:benchmarks/out/checkpoints CheckpointCost duckdb FILE [N]
 * java -cp destination-postgres/target/destination-postgres.jar:benchmarks/out/checkpoints CheckpointCost postgres JDBC_URL USER PASSWORD [N]
 * </pre>
 */
public final class CheckpointCost {
  public static void main(String[] args) throws Exception {
    ConnectionSource connections;
    SqlDialect dialect;
    IdentifierRules rules;
    String schema;
    int n;
    AutoCloseable resource = () -> { };
    if (args[0].equals("duckdb")) {
      io.destkit.duckdb.DuckDbDatabase database = io.destkit.duckdb.DuckDbDatabase.open(Path.of(args[1]));
      connections = database;
      resource = database;
      dialect = new io.destkit.duckdb.DuckDbDialect();
      rules = io.destkit.duckdb.DuckDbIdentifiers.rules();
      schema = "main";
      n = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    } else {
      String url = args[1];
      String user = args[2];
      String password = args[3];
      // Pooled, as the connector's connections are (HikariCP).
      com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
      pool.setJdbcUrl(url);
      pool.setUsername(user);
      pool.setPassword(password);
      pool.setMaximumPoolSize(2);
      com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource(pool);
      connections = dataSource::getConnection;
      resource = dataSource;
      dialect = new io.destkit.postgres.PostgresDialect(false);
      rules = io.destkit.postgres.PostgresIdentifiers.lowerCase();
      schema = "checkpoint_cost";
      n = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
    }
    StringBuilder streams = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      streams.append(i == 0 ? "" : ",").append("{\"stream\":{\"name\":\"s").append(i)
          .append("\",\"json_schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}},")
          .append("\"sync_mode\":\"incremental\",\"destination_sync_mode\":\"append\",")
          .append("\"generation_id\":0,\"minimum_generation_id\":0,\"sync_id\":1}");
    }
    DestinationCatalog catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(
        MessageCodec.MAPPER.readTree("{\"streams\":[" + streams + "]}")));
    TableCatalog tables = TableCatalog.build(catalog, new NamingPolicy(rules, schema, null));
    SqlCheckpointStore store = new SqlCheckpointStore(new TableOperations(connections, dialect), tables);
    store.load();
    long millis = System.currentTimeMillis();
    store.begin(RawId.firstOf(millis));
    long counter = 0;
    for (int round = 0; round < 2; round++) {
      boolean global = round == 1;
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        Map<Integer, RawId> marks = new HashMap<>();
        for (int s = 0; s < (global ? 10 : 1); s++) {
          marks.put(s, new RawId((millis << 16) | 0x7000L, 0x8000000000000000L | ++counter));
        }
        long start = System.nanoTime();
        store.advance(marks);
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
      System.out.printf("%s %s state: %d checkpoints, mean %.3f ms, median %.3f ms, p99 %.3f ms%n",
          args[0], global ? "GLOBAL (10 streams)" : "STREAM", n, mean, nanos[n / 2] / 1e6, nanos[n * 99 / 100] / 1e6);
    }
    resource.close();
  }
}
