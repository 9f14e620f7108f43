package io.destkit.postgres;

import io.destkit.testkit.TableOperationsSuite;
import io.destkit.testkit.TestTarget;

class PostgresTableOperationsTest extends TableOperationsSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
