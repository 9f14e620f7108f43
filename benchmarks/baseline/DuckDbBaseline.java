import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.duckdb.DuckDbDialect;
import io.destkit.duckdb.DuckDbIdentifiers;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * DuckDB loading the benchmark rows with its own readers, into tables with the connector's exact DDL
 * (built by the connector's own dialect and table catalog), in a fresh database file.
 *
 * <pre>
 * java -cp destination-duckdb.jar:CLASSES DuckDbBaseline --source json|csv --catalog catalog.json
 *      --input messages.jsonl|csv-folder --db FILE [--print-sql]
 * java -cp ... DuckDbBaseline --count --catalog catalog.json --db FILE    (rows per table, summed)
 * </pre>
 *
 * Prints one line on stdout: {@code rows=N seconds=S} (S: the SQL alone, without JVM start).
 */
public final class DuckDbBaseline {
  private static final String META = "'{\"sync_id\":1,\"changes\":[]}'";

  public static void main(String[] args) throws Exception {
    String source = null;
    Path catalogFile = null;
    Path input = null;
    Path db = null;
    boolean printSql = false;
    boolean count = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--source" -> source = args[++i];
        case "--catalog" -> catalogFile = Path.of(args[++i]);
        case "--input" -> input = Path.of(args[++i]);
        case "--db" -> db = Path.of(args[++i]);
        case "--print-sql" -> printSql = true;
        case "--count" -> count = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    JsonNode catalogJson = MessageCodec.MAPPER.readTree(catalogFile.toFile());
    DestinationCatalog catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(catalogJson));
    TableCatalog tables = TableCatalog.build(catalog, new NamingPolicy(DuckDbIdentifiers.rules(), "main", null));
    DuckDbDialect dialect = new DuckDbDialect();

    if (count) {
      Properties readOnly = new Properties();
      readOnly.setProperty("duckdb.read_only", "true");
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath(), readOnly);
          Statement s = c.createStatement()) {
        long rows = 0;
        for (StreamTables t : tables.tables()) {
          try (ResultSet r = s.executeQuery(dialect.countRows(t.finalTable()))) {
            r.next();
            rows += r.getLong(1);
          }
        }
        System.out.println("rows=" + rows);
      }
      return;
    }

    List<String> sql = new ArrayList<>();
    for (StreamTables t : tables.tables()) {
      sql.add(dialect.createTable(t.finalTable(), t.columns(), true));
    }
    if ("json".equals(source)) {
      jsonLoad(sql, tables, dialect, input);
    } else if ("csv".equals(source)) {
      for (StreamTables t : tables.tables()) {
        sql.add(csvLoad(t, dialect, input.resolve(t.stream().descriptor().name() + ".csv")));
      }
    } else {
      throw new IllegalArgumentException("--source json|csv");
    }
    if (printSql) {
      sql.stream().limit(4).forEach(s -> System.err.println(s + ";"));
      if (sql.size() > 4) {
        System.err.println("-- ... " + (sql.size() - 4) + " more statements of the same form");
      }
    }

    Files.deleteIfExists(db);
    Files.deleteIfExists(Path.of(db + ".wal"));
    long start = System.nanoTime();
    long rows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
        Statement s = c.createStatement()) {
      // One transaction, as a bulk load would be; the connector commits per batch instead.
      s.execute("BEGIN TRANSACTION");
      for (String statement : sql) {
        if (statement.startsWith("INSERT")) {
          rows += s.executeUpdate(statement);
        } else {
          s.execute(statement);
        }
      }
      s.execute("COMMIT");
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\nwhile running the baseline SQL", e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("rows=%d seconds=%.3f%n", rows, seconds);
  }

  /**
   * The JSON baseline reads the connector's own input: the Airbyte envelopes, RECORD lines only, with
   * the record's data as a STRUCT of the columns' target types (no sampling, no casts afterwards). One
   * stream: one pass straight into the table. Several streams sharing one schema: one pass into a
   * temp table sorted by stream, then one INSERT per stream (reading the file once per stream would
   * be the alternative, and far slower).
   */
  private static void jsonLoad(List<String> sql, TableCatalog tables, DuckDbDialect dialect, Path input) {
    String file = literal(input.toAbsolutePath().toString());
    List<StreamTables> all = tables.tables();
    String firstType = dataStruct(all.get(0), dialect);
    boolean shared = all.stream().allMatch(t -> dataStruct(t, dialect).equals(firstType));
    if (all.size() == 1 || !shared) {
      for (StreamTables t : all) {
        String read = "read_ndjson(" + file + ", columns = {'type': 'VARCHAR', 'record': "
            + literal("STRUCT(stream VARCHAR, emitted_at BIGINT, data " + dataStruct(t, dialect) + ")") + "})";
        String filter = all.size() == 1 ? "" : " AND record.stream = " + literal(t.stream().descriptor().name());
        sql.add(insert(t, dialect, "record.emitted_at", "record.data", read + " WHERE type = 'RECORD'" + filter));
      }
      return;
    }
    sql.add("CREATE TEMP TABLE staged AS SELECT record.stream AS stream, record.emitted_at AS emitted_at,"
        + " record.data AS data FROM read_ndjson(" + file + ", columns = {'type': 'VARCHAR', 'record': "
        + literal("STRUCT(stream VARCHAR, emitted_at BIGINT, data " + firstType + ")") + "})"
        + " WHERE type = 'RECORD' ORDER BY stream");
    for (StreamTables t : all) {
      sql.add(insert(t, dialect, "emitted_at", "data",
          "staged WHERE stream = " + literal(t.stream().descriptor().name())));
    }
  }

  /** The CSV baseline: the stream's user columns with their target types, read with no sniffing. */
  private static String csvLoad(StreamTables t, DuckDbDialect dialect, Path csv) {
    StringJoiner columns = new StringJoiner(", ", "{", "}");
    StringJoiner select = new StringJoiner(", ");
    for (ColumnDef column : t.columns()) {
      columns.add(literal(column.sourceName()) + ": " + literal(dialect.columnType(column.type())));
      select.add(dialect.quote(column.sourceName()));
    }
    String read = "read_csv(" + literal(csv.toAbsolutePath().toString())
        + ", header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', new_line = '\\n',"
        + " nullstr = '', allow_quoted_nulls = false, columns = " + columns + ")";
    return "INSERT INTO " + dialect.qualified(t.finalTable()) + " SELECT gen_random_uuid(), now(), " + META + ", "
        + t.stream().generationId() + ", " + select + " FROM " + read;
  }

  private static String insert(StreamTables t, DuckDbDialect dialect, String emittedAt, String data, String from) {
    StringJoiner select = new StringJoiner(", ");
    select.add("gen_random_uuid()").add("to_timestamp(" + emittedAt + " / 1000)").add(META)
        .add(Long.toString(t.stream().generationId()));
    for (ColumnDef column : t.columns()) {
      select.add(data + "." + dialect.quote(column.sourceName()));
    }
    return "INSERT INTO " + dialect.qualified(t.finalTable()) + " SELECT " + select + " FROM " + from;
  }

  private static String dataStruct(StreamTables t, DuckDbDialect dialect) {
    StringJoiner fields = new StringJoiner(", ", "STRUCT(", ")");
    for (ColumnDef column : t.columns()) {
      if (column.sourceName() == null) {
        throw new IllegalArgumentException("schemaless streams are not supported by the baseline");
      }
      fields.add(dialect.quote(column.sourceName()) + " " + dialect.columnType(column.type()));
    }
    return fields.toString();
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
