package io.destkit.iceberg;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.BasicSyncSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The BasicSync suite with its syncs read over 2 socket(s) as PROTOBUF. */
class IcebergBasicSyncOverSocketsTest extends BasicSyncSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.PROTOBUF, 2);
  }
}
