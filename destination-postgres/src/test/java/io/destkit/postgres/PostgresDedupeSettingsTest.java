package io.destkit.postgres;

import io.destkit.testkit.DedupeSettingsSuite;
import io.destkit.testkit.TestTarget;

class PostgresDedupeSettingsTest extends DedupeSettingsSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
