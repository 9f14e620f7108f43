package io.destkit.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.SpecSuite;
import java.nio.file.Path;

/** Compares with {@code src/test/resources/expected-spec.json}; DuckDB has no secret fields. */
class DuckDbSpecTest extends SpecSuite<DuckDbConfig> {
  @Override
  protected DuckDbDestination destination() {
    return new DuckDbDestination();
  }

  @Override
  protected JsonNode validConfig(Path directory) {
    return MessageCodec.MAPPER.createObjectNode().put("destination_path", directory.resolve("test.duckdb").toString());
  }
}
