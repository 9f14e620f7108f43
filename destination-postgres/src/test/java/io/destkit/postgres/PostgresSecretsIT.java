package io.destkit.postgres;

import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.e2e.SecretsProcessSuite;

class PostgresSecretsIT extends SecretsProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
