package io.destkit.postgres;

import io.destkit.testkit.e2e.WriteFailuresProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class PostgresWriteFailuresIT extends WriteFailuresProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
