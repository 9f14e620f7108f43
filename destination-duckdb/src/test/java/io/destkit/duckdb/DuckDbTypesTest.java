package io.destkit.duckdb;

import io.destkit.testkit.TypesSuite;
import io.destkit.testkit.TestTarget;

class DuckDbTypesTest extends TypesSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
