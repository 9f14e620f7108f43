package io.destkit.duckdb;

import io.destkit.testkit.e2e.FarosSourceProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class DuckDbFarosSourceIT extends FarosSourceProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
