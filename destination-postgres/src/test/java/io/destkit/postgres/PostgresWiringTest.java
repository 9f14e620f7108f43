package io.destkit.postgres;

import io.destkit.testkit.WiringSuite;
import io.destkit.testkit.TestTarget;

class PostgresWiringTest extends WiringSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
