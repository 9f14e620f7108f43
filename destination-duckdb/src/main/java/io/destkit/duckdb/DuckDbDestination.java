package io.destkit.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.config.Specification;
import io.destkit.core.operation.Destination;
import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.operation.ErrorClassifier;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.typing.ValueLimits;
import io.destkit.sql.ConnectionCheck;
import io.destkit.sql.SqlDestinationWriter;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TransientRetry;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.WriteContext;
import java.util.List;

/** The embedded default destination: writes a local DuckDB file, no server needed. */
public final class DuckDbDestination implements Destination<DuckDbConfig> {
  private static final Specification SPEC = Specification.fromResource(DuckDbDestination.class, "spec.json");
  /** DuckDB's rows per row group. */
  static final int ROW_GROUP_SIZE = 122_880;

  private final DuckDbDialect dialect = new DuckDbDialect();

  public static void main(String[] args) {
    DestinationRunner.main(new DuckDbDestination(), args);
  }

  @Override
  public String name() {
    return "destination-duckdb";
  }

  @Override
  public Specification specification() {
    return SPEC;
  }

  /** This destination's README. */
  @Override
  public String documentationUrl() {
    return PROJECT_URL + "/tree/main/destination-duckdb";
  }

  @Override
  public List<String> supportedSyncModes() {
    return List.of("overwrite", "append", "append_dedup");
  }

  @Override
  public DuckDbConfig bindConfig(JsonNode json) {
    return DuckDbConfig.from(json);
  }

  @Override
  public void check(DuckDbConfig config) throws Exception {
    try (DuckDbDatabase database = DuckDbDatabase.open(config.destinationPath())) {
    try (DuckDbArrowLoader loader = new DuckDbArrowLoader()) {
      new ConnectionCheck(new TableOperations(database, dialect), loader, config.schema()).run();
    }
    }
  }

  @Override
  public ErrorClassifier errorClassifier(DuckDbConfig config) {
    return new DuckDbErrors();
  }

  @Override
  public NamingPolicy namingPolicy(DuckDbConfig config) {
    return new NamingPolicy(DuckDbIdentifiers.rules(), config.schema(), null);
  }

  @Override
  public ValueLimits valueLimits() {
    return new DuckDbValueLimits();
  }

  /**
   * Batches of one DuckDB row group (122,880 rows) are written straight to the database file at
   * commit; smaller ones go through the WAL and a checkpoint, which costs more the larger the table.
   */
  @Override
  public PipelineSettings tunePipeline(PipelineSettings defaults) {
    long batchBytes = Math.max(defaults.batchBytes(), Math.min(defaults.memoryBytes() / 3, 256L << 20));
    return new PipelineSettings(
        defaults.flushThreads(), batchBytes, ROW_GROUP_SIZE, defaults.maxAge(), defaults.memoryBytes(),
        defaults.maxLineBytes(), defaults.flushTimeout(), defaults.retries());
  }

  @Override
  public DestinationWriter createWriter(DuckDbConfig config, TableCatalog tables, WriteContext context) {
    DuckDbDatabase database = DuckDbDatabase.open(config.destinationPath());
    PipelineSettings settings = context.settings();
    TransientRetry retry = new TransientRetry(errorClassifier(config), settings.retries());
    TableOperations operations = new TableOperations(
        database, dialect, context.log(), config.dropRemovedColumns(), retry, settings.flushTimeout());
    DuckDbArrowLoader loader = new DuckDbArrowLoader();
    return new SqlDestinationWriter(tables, operations, loader, config.hardDelete(), () -> {
      try (database; loader) {
        // The database closes last: its final checkpoint runs after the loader's memory is freed.
      }
    });
  }
}
