package io.destkit.iceberg;

import io.destkit.testkit.e2e.CrashRecoveryProcessSuite;
import io.destkit.testkit.e2e.CrashTarget;

/**
 * The packaged jar killed with {@code kill -9} at many points of its syncs, on a JDBC catalog on the
 * embedded PostgreSQL and a local warehouse, each attempt resumed until one succeeds: no record
 * lost or duplicated, read back with Iceberg's reader.
 */
class IcebergCrashRecoveryIT extends CrashRecoveryProcessSuite<IcebergConfig> {
  @Override
  protected CrashTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }
}
