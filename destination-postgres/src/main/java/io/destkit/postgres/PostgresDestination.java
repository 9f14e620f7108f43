package io.destkit.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.config.Specification;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.operation.Destination;
import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.operation.ErrorClassifier;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.SyncLog;
import io.destkit.core.write.WriteContext;
import io.destkit.sql.ConnectionCheck;
import io.destkit.sql.SqlDestinationWriter;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TransientRetry;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;

/** PostgreSQL (and Postgres-compatible servers): bulk loads with COPY over a pool of connections. */
public final class PostgresDestination implements Destination<PostgresConfig> {
  private static final Specification SPEC = Specification.fromResource(PostgresDestination.class, "spec.json");

  public static void main(String[] args) {
    DestinationRunner.main(new PostgresDestination(), args);
  }

  @Override
  public String name() {
    return "destination-postgres";
  }

  @Override
  public Specification specification() {
    return SPEC;
  }

  /** This destination's README. */
  @Override
  public String documentationUrl() {
    return PROJECT_URL + "/tree/main/destination-postgres";
  }

  @Override
  public List<String> supportedSyncModes() {
    return List.of("overwrite", "append", "append_dedup");
  }

  @Override
  public PostgresConfig bindConfig(JsonNode json) {
    return PostgresConfig.from(json);
  }

  @Override
  public void check(PostgresConfig config) throws Exception {
    check(config, SyncLog.NONE);
  }

  /** Through the SSH tunnel when there is one; the tunnel is closed with the pool. */
  @Override
  public void check(PostgresConfig config, SyncLog log) throws Exception {
    try (PostgresDatabase database = PostgresDatabase.open(config, PostgresDatabase.SMALL_POOL, log)) {
      PostgresDialect dialect = new PostgresDialect(config.dropCascade());
      TableOperations operations = new TableOperations(database, dialect);
      // A write creates tables in both: the final tables' schema and the temp tables' raw_data_schema.
      for (String schema : new LinkedHashSet<>(List.of(config.schema(), config.rawDataSchema()))) {
        new ConnectionCheck(operations, new PostgresCopyLoader(dialect), schema).run();
      }
    }
  }

  @Override
  public ErrorClassifier errorClassifier(PostgresConfig config) {
    return new PostgresErrors(config);
  }

  @Override
  public NamingPolicy namingPolicy(PostgresConfig config) {
    IdentifierRules rules = config.lowerCaseNames() ? PostgresIdentifiers.lowerCase() : PostgresIdentifiers.airbyte();
    return new NamingPolicy(rules, config.schema(), config.rawDataSchema(),
        config.rawTablesOnly() ? new RawTableNames(rules, config.schema(), config.rawDataSchema()) : null);
  }

  /** With {@code disable_type_dedupe}, raw tables only: each record whole in a raw table's {@code _airbyte_data}. */
  @Override
  public TableCatalog tableCatalog(PostgresConfig config, DestinationCatalog catalog) {
    NamingPolicy policy = namingPolicy(config);
    return config.rawTablesOnly() ? TableCatalog.buildRaw(catalog, policy) : TableCatalog.build(catalog, policy);
  }

  @Override
  public ValueLimits valueLimits() {
    return new PostgresValueLimits();
  }

  @Override
  public DestinationWriter createWriter(PostgresConfig config, TableCatalog tables, WriteContext context)
      throws SQLException {
    PostgresDatabase database = PostgresDatabase.open(config, poolSize(context.settings()), context.log());
    PostgresDialect dialect;
    try {
      dialect = new PostgresDialect(config.dropCascade(), database.serverMajorVersion());
    } catch (SQLException | RuntimeException e) {
      database.close();
      throw e;
    }
    PipelineSettings settings = context.settings();
    TransientRetry retry = new TransientRetry(errorClassifier(config), settings.retries());
    return new SqlDestinationWriter(
        tables,
        new TableOperations(
            database, dialect, context.log(), config.dropRemovedColumns(), retry, settings.flushTimeout()),
        new PostgresCopyLoader(dialect),
        config.cdcDeletionMode() == CdcDeletionMode.HARD_DELETE,
        database);
  }

  /**
   * A connection for each flush thread, as many again for the control path (stream starts and
   * closes run {@code flushThreads} at a time, and a flush may still be finishing when they run),
   * and one for the writer's own statements: no flush ever waits for a connection.
   */
  static int poolSize(PipelineSettings settings) {
    return 2 * settings.flushThreads() + 1;
  }
}
