package io.destkit.duckdb;

import io.destkit.testkit.DedupeSettingsSuite;
import io.destkit.testkit.TestTarget;

class DuckDbDedupeSettingsTest extends DedupeSettingsSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
