package io.destkit.postgres;

import io.destkit.testkit.e2e.CrashRecoveryProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class PostgresCrashRecoveryIT extends CrashRecoveryProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
