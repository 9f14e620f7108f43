import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.postgres.PostgresDialect;
import io.destkit.postgres.PostgresIdentifiers;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.BufferedReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * PostgreSQL loading the benchmark rows with its own bulk loader, {@code COPY ... FROM STDIN (FORMAT
 * csv)} of the generated CSV through one connection, into tables with the connector's exact DDL
 * (built by the connector's own dialect and table catalog), in a fresh schema, in one transaction.
 *
 * <pre>
 * BENCH_PG_PASSWORD=... java -cp destination-postgres.jar:CLASSES PgCopyBaseline --url jdbc:postgresql://HOST:PORT/DB
 *      --user U [--sslmode M] COMMAND
 * COMMAND:
 *   --copy --catalog catalog.json --input csv-folder --schema S [--print-sql]   load; prints rows=N seconds=S
 *   --count --catalog catalog.json --schema S                                   rows in the streams' tables, summed
 *   --reset S...                                                                drop the schemas, then CHECKPOINT
 * </pre>
 *
 * The password comes from the environment ({@code BENCH_PG_PASSWORD}), never from the command line.
 */
public final class PgCopyBaseline {
  private static final String META = "{\"sync_id\":1,\"changes\":[]}";

  public static void main(String[] args) throws Exception {
    String command = null;
    String url = null;
    String user = null;
    String sslmode = null;
    Path catalogFile = null;
    Path input = null;
    String schema = null;
    boolean printSql = false;
    List<String> schemas = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--user" -> user = args[++i];
        case "--sslmode" -> sslmode = args[++i];
        case "--catalog" -> catalogFile = Path.of(args[++i]);
        case "--input" -> input = Path.of(args[++i]);
        case "--schema" -> schema = args[++i];
        case "--print-sql" -> printSql = true;
        case "--copy", "--count" -> command = args[i];
        case "--reset" -> {
          command = "--reset";
          while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            schemas.add(args[++i]);
          }
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (command == null || url == null || user == null) {
      throw new IllegalArgumentException("--url, --user and one of --copy, --count, --reset are required");
    }
    Properties properties = new Properties();
    properties.setProperty("user", user);
    String password = System.getenv("BENCH_PG_PASSWORD");
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    if (sslmode != null) {
      properties.setProperty("sslmode", sslmode);
    }
    properties.setProperty("ApplicationName", "destkit-benchmark");

    PostgresDialect dialect = new PostgresDialect(false);
    try (Connection c = DriverManager.getConnection(url, properties); Statement s = c.createStatement()) {
      switch (command) {
        case "--reset" -> {
          for (String name : schemas) {
            s.execute(dialect.dropNamespace(name));
          }
          try {
            // Each run starts from a clean buffer pool: the previous run's dirty pages are written now,
            // not during the next run.
            s.execute("CHECKPOINT");
          } catch (SQLException e) {
            System.err.println("note: no CHECKPOINT before the run (" + e.getMessage().trim() + ")");
          }
        }
        case "--count" -> {
          long rows = 0;
          for (StreamTables t : tables(catalogFile, schema).tables()) {
            try (ResultSet r = s.executeQuery(dialect.countRows(t.finalTable()))) {
              r.next();
              rows += r.getLong(1);
            }
          }
          System.out.println("rows=" + rows);
        }
        default -> copy(c, s, dialect, tables(catalogFile, schema), schema, input, printSql);
      }
    }
  }

  private static TableCatalog tables(Path catalogFile, String schema) throws Exception {
    JsonNode catalogJson = MessageCodec.MAPPER.readTree(catalogFile.toFile());
    DestinationCatalog catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(catalogJson));
    // The connector's naming policy (PostgresDestination.namingPolicy) with `schema` as the config's schema.
    return TableCatalog.build(catalog, new NamingPolicy(PostgresIdentifiers.lowerCase(), schema, schema + "_raw"));
  }

  private static void copy(Connection c, Statement s, PostgresDialect dialect, TableCatalog tables, String schema,
      Path input, boolean printSql) throws Exception {
    long start = System.nanoTime();
    long rows = 0;
    int printed = 0;
    c.setAutoCommit(false); // one transaction, as a bulk load would be; the connector commits per batch
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    s.execute(dialect.createNamespace(schema));
    for (StreamTables t : tables.tables()) {
      Path csv = input.resolve(t.stream().descriptor().name() + ".csv");
      List<String> sql = new ArrayList<>();
      // The connector's DDL, as it creates a final table...
      sql.add(dialect.createTable(t.finalTable(), t.columns(), false));
      // ...and DEFAULTs for the meta columns, which the CSV (user columns only) does not hold.
      String table = dialect.qualified(t.finalTable());
      sql.add("ALTER TABLE " + table
          + " ALTER COLUMN " + dialect.quote(MetaColumns.RAW_ID) + " SET DEFAULT gen_random_uuid()::text,"
          + " ALTER COLUMN " + dialect.quote(MetaColumns.EXTRACTED_AT) + " SET DEFAULT now(),"
          + " ALTER COLUMN " + dialect.quote(MetaColumns.META) + " SET DEFAULT '" + META + "'::jsonb,"
          + " ALTER COLUMN " + dialect.quote(MetaColumns.GENERATION_ID) + " SET DEFAULT " + t.stream().generationId());
      for (String statement : sql) {
        s.execute(statement);
      }
      String copySql = "COPY " + table + " " + columnList(t, dialect, csv)
          + " FROM STDIN (FORMAT csv, HEADER true)";
      if (printSql && printed++ < 2) {
        sql.forEach(statement -> System.err.println(statement + ";"));
        System.err.println(copySql + ";");
      }
      try (InputStream in = Files.newInputStream(csv)) {
        rows += copy.copyIn(copySql, in, 1 << 16);
      } catch (SQLException e) {
        throw new SQLException(e.getMessage() + "\nwhile loading " + csv, e);
      }
    }
    if (printSql && tables.tables().size() > 2) {
      System.err.println("-- ... " + (tables.tables().size() - 2) + " more tables of the same form");
    }
    c.commit();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("rows=%d seconds=%.3f%n", rows, seconds);
  }

  /** The table's user columns in the order of the CSV's header (which names the source fields). */
  private static String columnList(StreamTables t, PostgresDialect dialect, Path csv) throws Exception {
    Map<String, String> bySource = new HashMap<>();
    for (ColumnDef column : t.columns()) {
      if (column.sourceName() == null) {
        throw new IllegalArgumentException("schemaless streams are not supported by the baseline");
      }
      bySource.put(column.sourceName(), column.name());
    }
    String header;
    try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      header = reader.readLine();
    }
    StringJoiner names = new StringJoiner(", ", "(", ")");
    for (String field : header.split(",", -1)) {
      String name = bySource.get(field);
      if (name == null) {
        throw new IllegalArgumentException(csv + ": header field '" + field + "' is not a column of the stream");
      }
      names.add(dialect.quote(name));
    }
    return names.toString();
  }
}
