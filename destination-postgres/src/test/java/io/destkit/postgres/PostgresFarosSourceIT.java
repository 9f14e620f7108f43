package io.destkit.postgres;

import io.destkit.testkit.e2e.FarosSourceProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class PostgresFarosSourceIT extends FarosSourceProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
