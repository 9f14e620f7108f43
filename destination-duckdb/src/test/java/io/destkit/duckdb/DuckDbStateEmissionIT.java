package io.destkit.duckdb;

import io.destkit.testkit.e2e.StateEmissionProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class DuckDbStateEmissionIT extends StateEmissionProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
