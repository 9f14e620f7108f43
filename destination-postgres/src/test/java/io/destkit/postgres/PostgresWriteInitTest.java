package io.destkit.postgres;

import io.destkit.testkit.WriteInitSuite;
import io.destkit.testkit.TestTarget;

class PostgresWriteInitTest extends WriteInitSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
