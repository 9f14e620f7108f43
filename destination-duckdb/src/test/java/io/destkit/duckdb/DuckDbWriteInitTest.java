package io.destkit.duckdb;

import io.destkit.testkit.WriteInitSuite;
import io.destkit.testkit.TestTarget;

class DuckDbWriteInitTest extends WriteInitSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
