package io.destkit.duckdb;

import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.e2e.SecretsProcessSuite;

class DuckDbSecretsIT extends SecretsProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  /** motherduck_api_key is accepted but unused: a config holding it connects. */
  @Override
  protected boolean secretsAreCredentials() {
    return false;
  }
}
