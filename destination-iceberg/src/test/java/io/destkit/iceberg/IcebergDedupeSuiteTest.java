package io.destkit.iceberg;

import io.destkit.testkit.DedupeSuite;
import io.destkit.testkit.TestTarget;

class IcebergDedupeSuiteTest extends DedupeSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
