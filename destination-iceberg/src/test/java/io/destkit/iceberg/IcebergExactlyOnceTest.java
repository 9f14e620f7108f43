package io.destkit.iceberg;

import io.destkit.testkit.ExactlyOnceSuite;
import io.destkit.testkit.TestTarget;

class IcebergExactlyOnceTest extends ExactlyOnceSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
