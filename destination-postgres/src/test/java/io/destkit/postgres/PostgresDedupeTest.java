package io.destkit.postgres;

import io.destkit.testkit.DedupeSuite;
import io.destkit.testkit.TestTarget;

class PostgresDedupeTest extends DedupeSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
