package io.destkit.duckdb;

import io.destkit.testkit.ConnectorMetadataSuite;
import io.destkit.testkit.TestTarget;

/** {@code metadata.yaml} and the {@code Dockerfile} agree with the build and the spec. */
class DuckDbMetadataTest extends ConnectorMetadataSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  /** Airbyte's destination-duckdb. */
  @Override
  protected String airbyteDefinitionId() {
    return "94bd199c-2ff0-4aa2-b98e-17f0acb72610";
  }
}
