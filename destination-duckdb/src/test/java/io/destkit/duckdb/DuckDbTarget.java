package io.destkit.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.TestDatabase;
import io.destkit.testkit.TestTarget;
import java.nio.file.Path;

/** The DuckDB destination as the testkit suites see it: a fresh database file per test. */
final class DuckDbTarget implements TestTarget<DuckDbConfig> {
  static final DuckDbTarget INSTANCE = new DuckDbTarget();

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
    return TestDatabase.of(DuckDbDatabase.open(config.destinationPath()), new DuckDbDialect(), new DuckDbAppenderLoader());
  }

  static ObjectNode pathConfig(Path path) {
    return MessageCodec.MAPPER.createObjectNode().put("destination_path", path.toString());
  }
}
