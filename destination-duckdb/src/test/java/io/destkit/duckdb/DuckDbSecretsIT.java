package io.destkit.duckdb;

import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.e2e.SecretsProcessSuite;

class DuckDbSecretsIT extends SecretsProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
