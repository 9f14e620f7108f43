package io.destkit.postgres;

import io.destkit.testkit.ExactlyOnceSuite;
import io.destkit.testkit.TestTarget;

class PostgresExactlyOnceTest extends ExactlyOnceSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
