package io.destkit.postgres;

import io.destkit.testkit.RefreshSuite;
import io.destkit.testkit.TestTarget;

class PostgresRefreshTest extends RefreshSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
