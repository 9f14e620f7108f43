package io.destkit.duckdb;

import io.destkit.testkit.e2e.StandardDestinationVectorsProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class DuckDbStandardDestinationVectorsIT extends StandardDestinationVectorsProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
