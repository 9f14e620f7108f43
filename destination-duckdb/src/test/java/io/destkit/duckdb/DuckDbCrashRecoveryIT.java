package io.destkit.duckdb;

import io.destkit.testkit.e2e.CrashRecoveryProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class DuckDbCrashRecoveryIT extends CrashRecoveryProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
