package io.destkit.postgres;

import io.destkit.testkit.SchemaEvolutionSuite;
import io.destkit.testkit.TestTarget;

class PostgresSchemaEvolutionTest extends SchemaEvolutionSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
