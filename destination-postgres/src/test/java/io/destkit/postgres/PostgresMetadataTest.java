package io.destkit.postgres;

import io.destkit.testkit.ConnectorMetadataSuite;
import io.destkit.testkit.TestTarget;

/** {@code metadata.yaml} and the {@code Dockerfile} agree with the build and the spec. */
class PostgresMetadataTest extends ConnectorMetadataSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  /** Airbyte's destination-postgres. */
  @Override
  protected String airbyteDefinitionId() {
    return "25c5221d-dce2-4163-ade9-739ef790f503";
  }
}
