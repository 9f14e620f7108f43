package io.destkit.iceberg;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.DedupeSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The Dedupe suite with its syncs read over 1 socket(s) as PROTOBUF. */
class IcebergDedupeOverSocketsTest extends DedupeSuite<IcebergConfig> {
  @Override
  protected TestTarget<IcebergConfig> target() {
    return IcebergTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.PROTOBUF, 1);
  }
}
