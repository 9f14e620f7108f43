package io.destkit.duckdb;

import io.destkit.testkit.BasicSyncSuite;
import io.destkit.testkit.TestTarget;

class DuckDbBasicSyncTest extends BasicSyncSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
