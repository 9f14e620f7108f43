package io.destkit.sql;

import io.destkit.core.catalog.TableName;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.stream.DestinationStream;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database's native bulk path (DuckDB's Arrow scan, PostgreSQL's COPY). Loads one batch into a
 * table through the given connection; the caller commits. Must not swallow an error: a batch that
 * was not fully written must throw.
 */
public interface BulkLoader {
  void load(Connection connection, TableName table, TargetLayout layout, DestinationStream stream, RecordBatch batch)
      throws SQLException;
}
