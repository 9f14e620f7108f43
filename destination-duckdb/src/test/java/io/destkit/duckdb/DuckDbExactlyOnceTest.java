package io.destkit.duckdb;

import io.destkit.testkit.ExactlyOnceSuite;
import io.destkit.testkit.TestTarget;

class DuckDbExactlyOnceTest extends ExactlyOnceSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
