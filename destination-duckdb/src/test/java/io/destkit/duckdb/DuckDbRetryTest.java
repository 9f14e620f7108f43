package io.destkit.duckdb;

import io.destkit.testkit.RetrySuite;
import io.destkit.testkit.TestTarget;

class DuckDbRetryTest extends RetrySuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
