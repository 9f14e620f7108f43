package io.destkit.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.typing.AirbyteType;
import io.destkit.protocol.MessageCodec;
import io.destkit.sql.TypeNames;
import io.destkit.testkit.TestDatabase;
import io.destkit.testkit.e2e.ProcessTarget;
import java.nio.file.Path;
import java.util.Optional;

/** The DuckDB destination as the testkit suites see it: a fresh database file per test. */
final class DuckDbTarget implements ProcessTarget<DuckDbConfig> {
  static final DuckDbTarget INSTANCE = new DuckDbTarget();

  /** As information_schema.columns lists DuckDB's types. */
  private static final TypeNames DATA_TYPES =
      TypeNames.builder()
          .string("VARCHAR")
          .bool("BOOLEAN")
          .integer("BIGINT")
          .number("DECIMAL(38,9)")
          .date("DATE")
          .timestampWithTimezone("TIMESTAMP WITH TIME ZONE")
          .timestampWithoutTimezone("TIMESTAMP")
          .timeWithTimezone("TIME WITH TIME ZONE")
          .timeWithoutTimezone("TIME")
          .json("JSON")
          .build();

  @Override
  public DuckDbDestination destination() {
    return new DuckDbDestination();
  }

  @Override
  public JsonNode validConfig(Path directory) {
    return pathConfig(directory.resolve("test.duckdb"));
  }

  @Override
  public TestDatabase openDatabase(DuckDbConfig config) {
    return TestDatabase.of(DuckDbDatabase.open(config.destinationPath()), new DuckDbDialect(), new DuckDbArrowLoader());
  }

  /** A database file is a database of its own. */
  @Override
  public ObjectNode ownDatabaseConfig(Path directory, String defaultSchema) {
    return pathConfig(directory.resolve("dest.duckdb")).put("schema", defaultSchema);
  }

  /** A database file whose folder would have to be made inside a regular file. */
  @Override
  public ObjectNode unreachable(ObjectNode config, Path directory) {
    Path file = directory.resolve("not-a-folder");
    try {
      if (!java.nio.file.Files.exists(file)) {
        java.nio.file.Files.writeString(file, "a file where a folder should be");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return config.put("destination_path", file.resolve("dest.duckdb").toString());
  }

  @Override
  public String dataType(AirbyteType type) {
    return DATA_TYPES.of(type);
  }

  @Override
  public String metaColumnDataType(String metaColumn) {
    return switch (metaColumn) {
      case MetaColumns.RAW_ID -> "UUID";
      case MetaColumns.EXTRACTED_AT -> "TIMESTAMP WITH TIME ZONE";
      case MetaColumns.META -> "JSON";
      case MetaColumns.GENERATION_ID -> "BIGINT";
      default -> throw new IllegalArgumentException("not a meta column: " + metaColumn);
    };
  }

  @Override
  public Optional<FixedDecimal> fixedNumberType() {
    return Optional.of(new FixedDecimal(DuckDbDialect.NUMBER_PRECISION, DuckDbDialect.NUMBER_SCALE));
  }

  static ObjectNode pathConfig(Path path) {
    return MessageCodec.MAPPER.createObjectNode().put("destination_path", path.toString());
  }
}
