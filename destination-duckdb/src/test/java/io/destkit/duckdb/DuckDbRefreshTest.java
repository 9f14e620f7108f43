package io.destkit.duckdb;

import io.destkit.testkit.RefreshSuite;
import io.destkit.testkit.TestTarget;

class DuckDbRefreshTest extends RefreshSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
