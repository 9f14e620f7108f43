package io.destkit.iceberg;

import io.destkit.testkit.RefreshSuite;
import io.destkit.testkit.TestTarget;

class IcebergRefreshSuiteTest extends RefreshSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
