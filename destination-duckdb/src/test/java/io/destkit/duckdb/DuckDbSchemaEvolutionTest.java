package io.destkit.duckdb;

import io.destkit.testkit.SchemaEvolutionSuite;
import io.destkit.testkit.TestTarget;

class DuckDbSchemaEvolutionTest extends SchemaEvolutionSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
