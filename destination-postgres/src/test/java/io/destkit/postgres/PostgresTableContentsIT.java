package io.destkit.postgres;

import io.destkit.testkit.e2e.TableContentsProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class PostgresTableContentsIT extends TableContentsProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
