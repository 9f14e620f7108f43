package io.destkit.iceberg;

import io.destkit.testkit.BasicSyncSuite;
import io.destkit.testkit.TestTarget;

class IcebergBasicSyncTest extends BasicSyncSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
