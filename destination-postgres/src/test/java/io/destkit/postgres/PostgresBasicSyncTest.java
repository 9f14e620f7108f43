package io.destkit.postgres;

import io.destkit.testkit.BasicSyncSuite;
import io.destkit.testkit.TestTarget;

class PostgresBasicSyncTest extends BasicSyncSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
