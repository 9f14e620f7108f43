package io.destkit.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.TableOperationsSuite;
import io.destkit.testkit.TestDatabase;
import java.nio.file.Path;

class DuckDbTableOperationsTest extends TableOperationsSuite<DuckDbConfig> {
  @Override
  protected DuckDbDestination destination() {
    return new DuckDbDestination();
  }

  @Override
  protected JsonNode validConfig(Path directory) {
    return MessageCodec.MAPPER.createObjectNode().put("destination_path", directory.resolve("test.duckdb").toString());
  }

  @Override
  protected TestDatabase openDatabase(DuckDbConfig config) {
    return TestDatabase.of(DuckDbDatabase.open(config.destinationPath()), new DuckDbDialect(), new DuckDbAppenderLoader());
  }
}
