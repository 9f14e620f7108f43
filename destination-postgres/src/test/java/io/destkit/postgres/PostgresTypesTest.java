package io.destkit.postgres;

import io.destkit.testkit.TypesSuite;
import io.destkit.testkit.TestTarget;

class PostgresTypesTest extends TypesSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
