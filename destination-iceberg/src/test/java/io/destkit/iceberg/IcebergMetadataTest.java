package io.destkit.iceberg;

import io.destkit.testkit.ConnectorMetadataSuite;
import io.destkit.testkit.TestTarget;

/** {@code metadata.yaml} and the {@code Dockerfile} agree with the build and the spec. */
class IcebergMetadataTest extends ConnectorMetadataSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }

  /** Airbyte's destination-s3-data-lake, its Iceberg destination. */
  @Override
  protected String airbyteDefinitionId() {
    return "716ca874-520b-4902-9f80-9fad66754b89";
  }

  /** Airbyte files its Iceberg destination under {@code file}. */
  @Override
  protected String connectorSubtype() {
    return "file";
  }
}
