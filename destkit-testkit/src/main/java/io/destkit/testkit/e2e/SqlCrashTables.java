package io.destkit.testkit.e2e;

import io.destkit.core.catalog.MetaColumns;
import io.destkit.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The crash suite's reads with plain SQL ({@link DatabaseReader}) on a destination's database: the
 * kit's checkpoint table ({@value DatabaseReader#CHECKPOINT_TABLE}) holds the recorded raw ids.
 */
public final class SqlCrashTables implements CrashTables {
  private final TestDatabase database;
  private final DatabaseReader db;

  /** Reads {@code database}, which it closes. */
  public SqlCrashTables(TestDatabase database) {
    this.database = database;
    this.db = new DatabaseReader(database);
  }

  @Override
  public List<String> tables() {
    return db.tables();
  }

  @Override
  public List<Row> rows(String namespace, String table) {
    String sql = "SELECT " + String.join(", ", db.quote("id"), db.quote("sync"), db.quote("seq"),
        db.quote(MetaColumns.GENERATION_ID), db.quote(MetaColumns.RAW_ID)) + " FROM " + db.qualified(namespace, table);
    List<Row> rows = new ArrayList<>();
    db.scan(sql, row -> {
      Long id = row.getLong(1);
      id = row.wasNull() ? null : id;
      Long sync = row.getLong(2);
      sync = row.wasNull() ? null : sync;
      Long seq = row.getLong(3);
      seq = row.wasNull() ? null : seq;
      Long generation = row.getLong(4);
      generation = row.wasNull() ? null : generation;
      rows.add(new Row(id, sync, seq, generation, row.getString(5)));
    });
    return rows;
  }

  @Override
  public long count(String namespace, String table) {
    return db.count(db.qualified(namespace, table));
  }

  @Override
  public Map<String, String> recordedRawIds(String namespace) {
    Map<String, String> recorded = new HashMap<>();
    for (String table : db.allTables()) {
      if (!table.endsWith("." + DatabaseReader.CHECKPOINT_TABLE)) {
        continue;
      }
      String[] parts = table.split("\\.", 2);
      String sql = "SELECT " + db.quote("table_namespace") + ", " + db.quote("table_name") + ", "
          + db.quote("committed_raw_id") + " FROM " + db.qualified(parts[0], parts[1]);
      db.scan(sql, row -> {
        if (namespace.equals(row.getString(1))) {
          recorded.put(row.getString(2), row.getString(3));
        }
      });
    }
    return recorded;
  }

  @Override
  public void close() throws Exception {
    database.close();
  }
}
