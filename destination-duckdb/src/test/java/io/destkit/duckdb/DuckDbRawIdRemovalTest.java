package io.destkit.duckdb;

import io.destkit.testkit.RawIdRemovalSuite;
import io.destkit.testkit.TestTarget;

class DuckDbRawIdRemovalTest extends RawIdRemovalSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
