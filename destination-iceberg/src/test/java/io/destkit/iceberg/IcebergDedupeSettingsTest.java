package io.destkit.iceberg;

import io.destkit.testkit.DedupeSettingsSuite;
import io.destkit.testkit.TestTarget;

class IcebergDedupeSettingsTest extends DedupeSettingsSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
