package io.destkit.postgres;

import io.destkit.testkit.CdcSuite;
import io.destkit.testkit.TestTarget;

class PostgresCdcTest extends CdcSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
