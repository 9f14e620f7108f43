package io.destkit.duckdb;

import io.destkit.testkit.SpecSuite;
import io.destkit.testkit.TestTarget;

/** Compares with {@code src/test/resources/expected-spec.json}; DuckDB has no secret fields. */
class DuckDbSpecTest extends SpecSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
