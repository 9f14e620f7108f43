package io.destkit.postgres;

import io.destkit.testkit.RetrySuite;
import io.destkit.testkit.TestTarget;

class PostgresRetryTest extends RetrySuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
