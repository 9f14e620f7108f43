package io.destkit.iceberg;

import io.destkit.testkit.CdcSuite;
import io.destkit.testkit.TestTarget;

class IcebergCdcTest extends CdcSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
