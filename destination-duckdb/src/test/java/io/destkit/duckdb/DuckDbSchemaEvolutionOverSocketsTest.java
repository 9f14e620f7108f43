package io.destkit.duckdb;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.SchemaEvolutionSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The SchemaEvolution suite with its syncs read over 3 socket(s) as JSONL. */
class DuckDbSchemaEvolutionOverSocketsTest extends SchemaEvolutionSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.JSONL, 3);
  }
}
