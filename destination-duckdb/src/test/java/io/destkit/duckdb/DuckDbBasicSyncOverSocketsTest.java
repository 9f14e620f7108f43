package io.destkit.duckdb;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.BasicSyncSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The BasicSync suite with its syncs read over 3 socket(s) as PROTOBUF. */
class DuckDbBasicSyncOverSocketsTest extends BasicSyncSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.PROTOBUF, 3);
  }
}
