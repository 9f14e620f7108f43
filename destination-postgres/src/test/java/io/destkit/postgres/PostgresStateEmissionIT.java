package io.destkit.postgres;

import io.destkit.testkit.e2e.StateEmissionProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class PostgresStateEmissionIT extends StateEmissionProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
