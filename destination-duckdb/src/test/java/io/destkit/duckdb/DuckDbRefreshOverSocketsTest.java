package io.destkit.duckdb;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.RefreshSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The Refresh suite with its syncs read over 2 socket(s) as PROTOBUF. */
class DuckDbRefreshOverSocketsTest extends RefreshSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.PROTOBUF, 2);
  }
}
