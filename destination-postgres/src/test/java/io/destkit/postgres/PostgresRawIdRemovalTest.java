package io.destkit.postgres;

import io.destkit.testkit.RawIdRemovalSuite;
import io.destkit.testkit.TestTarget;

class PostgresRawIdRemovalTest extends RawIdRemovalSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
