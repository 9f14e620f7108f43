package io.destkit.iceberg;

import io.destkit.testkit.SchemaEvolutionSuite;
import io.destkit.testkit.TestTarget;

class IcebergSchemaEvolutionSuiteTest extends SchemaEvolutionSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
