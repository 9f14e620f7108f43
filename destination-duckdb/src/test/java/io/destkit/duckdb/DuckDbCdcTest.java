package io.destkit.duckdb;

import io.destkit.testkit.CdcSuite;
import io.destkit.testkit.TestTarget;

class DuckDbCdcTest extends CdcSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
