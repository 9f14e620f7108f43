package io.destkit.duckdb;

import io.destkit.testkit.TableOperationsSuite;
import io.destkit.testkit.TestTarget;

class DuckDbTableOperationsTest extends TableOperationsSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
