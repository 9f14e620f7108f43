package io.destkit.iceberg;

import io.destkit.testkit.TypesSuite;
import io.destkit.testkit.TestTarget;

class IcebergTypesSuiteTest extends TypesSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
