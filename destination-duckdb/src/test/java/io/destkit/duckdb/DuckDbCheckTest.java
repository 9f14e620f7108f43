package io.destkit.duckdb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.CheckSuite;
import io.destkit.testkit.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class DuckDbCheckTest extends CheckSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Override
  protected List<FailingConfig> failingConfigs(Path directory) throws Exception {
    Path regularFile = Files.writeString(directory.resolve("a-file"), "not a folder");
    ObjectNode numericSchema = DuckDbTarget.pathConfig(directory.resolve("test.duckdb")).put("schema", 42);
    return List.of(
        new FailingConfig("destination_path is missing", MessageCodec.MAPPER.createObjectNode(), "destination_path"),
        new FailingConfig("the parent of destination_path is a file",
            DuckDbTarget.pathConfig(regularFile.resolve("test.duckdb")), "Cannot create the folder of destination_path"),
        new FailingConfig("destination_path is a folder", DuckDbTarget.pathConfig(directory), "is a folder"),
        new FailingConfig("schema is a number", numericSchema, "'schema'"));
  }
}
