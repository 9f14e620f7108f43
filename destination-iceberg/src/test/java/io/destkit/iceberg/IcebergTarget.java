package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.TableName;
import io.destkit.testkit.TableReader;
import io.destkit.testkit.TableRow;
import java.io.IOException;
import io.destkit.testkit.TestTarget;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Iceberg destination as the testkit's behaviour suites see it: per test, a JDBC catalog in a
 * PostgreSQL database of its own and a warehouse directory of its own ({@link IcebergFixture}),
 * read back with {@link IcebergTables}.
 */
final class IcebergTarget implements TestTarget<IcebergConfig> {
  static final IcebergTarget INSTANCE = new IcebergTarget();

  @Override
  public IcebergDestination destination() {
    return new IcebergDestination();
  }

  @Override
  public JsonNode validConfig(Path directory) {
    return new IcebergFixture(directory).config();
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
          + " the same kind (int to long, float to double, a decimal's precision); any other change, such as"
          + " string to integer or integer to string, needs every data file rewritten with the values cast,"
          + " which destination-iceberg does not do: it refuses the change with a config_error naming the"
          + " column (see its README, Tables)");
      case DROP_REMOVED_COLUMNS -> Optional.of("destination-iceberg has no drop_removed_columns option yet: it keeps"
          + " columns the stream no longer has (null in new rows)");
      case TIME_ZONE_OFFSETS_UNDER_16_HOURS -> Optional.of("Iceberg has no time with time zone: the destination"
          + " stores it as a string, which holds any offset Java's OffsetTime reads (up to 18 hours either way)");
    };
  }
}
