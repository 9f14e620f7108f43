package io.destkit.postgres;

import io.destkit.testkit.e2e.StandardDestinationVectorsProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class PostgresStandardDestinationVectorsIT extends StandardDestinationVectorsProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
