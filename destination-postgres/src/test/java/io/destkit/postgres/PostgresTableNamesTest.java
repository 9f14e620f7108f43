package io.destkit.postgres;

import io.destkit.testkit.TableNamesSuite;
import io.destkit.testkit.TestTarget;

class PostgresTableNamesTest extends TableNamesSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
