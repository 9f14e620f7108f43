package io.destkit.iceberg;

import io.destkit.testkit.TableNamesSuite;
import io.destkit.testkit.TestTarget;

class IcebergTableNamesTest extends TableNamesSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
