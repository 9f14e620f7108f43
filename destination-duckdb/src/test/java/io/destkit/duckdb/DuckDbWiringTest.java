package io.destkit.duckdb;

import io.destkit.testkit.WiringSuite;
import io.destkit.testkit.TestTarget;

class DuckDbWiringTest extends WiringSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
