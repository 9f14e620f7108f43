package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.TableName;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.TableReader;
import io.destkit.testkit.TableRow;
import java.io.IOException;
import io.destkit.testkit.e2e.CrashTables;
import io.destkit.testkit.e2e.CrashTarget;
import io.destkit.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The Iceberg destination as the testkit's behaviour suites see it: per test, a JDBC catalog of
 * its own (named from the test's directory) and a warehouse directory of its own, read back with
 * {@link IcebergTables}. The catalogs share one PostgreSQL database, as several catalogs may (the
 * catalog's tables and the checkpoints are kept per catalog name): a database per test would leave
 * the server more than a hundred to remove at the end of the run. The crash suite reads the same
 * catalogs with {@link IcebergCrashTables}.
 */
final class IcebergTarget implements CrashTarget<IcebergConfig> {
  static final IcebergTarget INSTANCE = new IcebergTarget();
  private static final String DATABASE = "destkit_iceberg_suites";

  @Override
  public IcebergDestination destination() {
    return new IcebergDestination();
  }

  @Override
  public JsonNode validConfig(Path directory) {
    PostgresServer server = IcebergFixture.server();
    server.createDatabase(DATABASE, IcebergFixture.WRITER);
    ObjectNode config = MessageCodec.MAPPER.createObjectNode();
    config.put("warehouse_location", directory.resolve("warehouse").toUri().toString());
    ObjectNode catalog = config.putObject("catalog_type");
    catalog.put("catalog_type", "JDBC");
    catalog.put("jdbc_url", IcebergFixture.jdbcUrl(server.port(), DATABASE));
    catalog.put("username", IcebergFixture.WRITER);
    catalog.put("password", IcebergFixture.WRITER_PASSWORD);
    catalog.put("catalog_name", PostgresServer.nameFor("suite", directory.toAbsolutePath().toString()));
    catalog.put("namespace", "public");
    return config;
  }

  /** {@link #validConfig}, streams without a namespace going to {@code defaultSchema}. */
  @Override
  public ObjectNode ownDatabaseConfig(Path directory, String defaultSchema) {
    ObjectNode config = (ObjectNode) validConfig(directory);
    ((ObjectNode) config.get("catalog_type")).put("namespace", defaultSchema);
    return config;
  }

  /**
   * 300 to 800 records (the kit's default is 50 to 300): each batch is an Iceberg commit, and with
   * 1,500 records per stream STATEs still flow mid-sync.
   */
  @Override
  public int smallRunBatchRecords(SplittableRandom random) {
    return 300 + random.nextInt(500);
  }

  @Override
  public CrashTables openCrashTables(IcebergConfig config) {
    return new IcebergCrashTables(config);
  }

  @Override
  public TableReader openTables(IcebergConfig config) {
    return new IcebergTables(config);
  }

  @Override
  public void appendByHand(IcebergConfig config, TableName table, TableRow row) throws IOException {
    try (IcebergTables tables = new IcebergTables(config)) {
      tables.appendByHand(table, row);
    }
  }

  /** {@code decimal(38, 9)}. */
  @Override
  public Optional<FixedDecimal> fixedNumberType() {
    return Optional.of(new FixedDecimal(IcebergTypes.NUMBER_PRECISION, IcebergTypes.NUMBER_SCALE));
  }

  @Override
  public Optional<String> lacks(Behavior behavior) {
    return switch (behavior) {
      case COLUMN_TYPE_CHANGE -> Optional.of("Iceberg changes a column's type in place only to a wider type of"
          + " the same kind (int to long, float to double, a decimal's precision), which the destination does;"
          + " the suite's cases change string to integer and integer to string, and expect the older values cast"
          + " into the new type, which would need every data file rewritten: destination-iceberg keeps the"
          + " column's type instead and converts the new values into it (see its README, Tables)");
      case DROP_REMOVED_COLUMNS -> Optional.empty();
      case TIME_ZONE_OFFSETS_UNDER_16_HOURS -> Optional.of("Iceberg has no time with time zone: the destination"
          + " stores it as a string, which holds any offset Java's OffsetTime reads (up to 18 hours either way)");
    };
  }
}
