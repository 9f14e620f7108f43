package io.destkit.duckdb;

import io.destkit.core.ConfigErrorException;
import io.destkit.sql.ConnectionSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/**
 * An open DuckDB database file. DuckDB runs in-process; each caller gets its own connection to the
 * same database instance (so several flushes run at once), and closing the database closes it.
 */
public final class DuckDbDatabase implements ConnectionSource, AutoCloseable {
  private final Path path;
  private final DuckDBConnection root;

  private DuckDbDatabase(Path path, DuckDBConnection root) {
    this.path = path;
    this.root = root;
  }

  /** Opens (creating if needed) the database file and its parent folders. */
  public static DuckDbDatabase open(Path path) {
    Path absolute = path.toAbsolutePath();
    try {
      Path parent = absolute.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new ConfigErrorException(
          "Cannot create the folder of destination_path " + absolute + " (" + e.getMessage()
              + "). Choose a path in a folder you can write.", e);
    }
    if (Files.isDirectory(absolute)) {
      throw new ConfigErrorException(
          "destination_path " + absolute + " is a folder; give the path of a database file inside it, e.g. "
              + absolute.resolve("destination.duckdb"));
    }
    try {
      java.util.Properties settings = new java.util.Properties();
      // DuckDB's own default takes most of the machine's memory for its buffer pool; a bulk load
      // needs far less, and an upsert of wide rows spills to disk beyond this limit.
      settings.setProperty("memory_limit", System.getProperty("destkit.duckdb.memory_limit", "2GB"));
      // Rows need no particular order in a table; without it DuckDB can stream and spill an
      // INSERT ... SELECT (an upsert of wide rows) instead of holding it in memory.
      settings.setProperty("preserve_insertion_order", "false");
      // DuckDB checkpoints when its write-ahead log reaches this size (its default: 16MB). A larger
      // one makes a sync of many small streams much faster (1,000 streams x 5,000 records: 47.8 s at
      // 256MB against 77.8 s), but a crash test once found rows that an attempt had deleted back
      // after the next opening with a large log, so it stays DuckDB's unless the user asks.
      String threshold = System.getProperty("destkit.duckdb.checkpoint_threshold");
      if (threshold != null) {
        settings.setProperty("checkpoint_threshold", threshold);
      }
      Connection connection = DriverManager.getConnection("jdbc:duckdb:" + absolute, settings);
      return new DuckDbDatabase(absolute, connection.unwrap(DuckDBConnection.class));
    } catch (SQLException e) {
      throw new ConfigErrorException(
          "Cannot open the DuckDB file " + absolute + ": " + e.getMessage()
              + ". Check that the path is writable and that no other process holds the file open.", e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public Connection open() throws SQLException {
    return root.duplicate();
  }

  @Override
  public void close() throws SQLException {
    root.close();
  }
}
