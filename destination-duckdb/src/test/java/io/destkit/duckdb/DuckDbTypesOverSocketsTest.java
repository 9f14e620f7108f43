package io.destkit.duckdb;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.TypesSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The Types suite with its syncs read over 1 socket(s) as PROTOBUF. */
class DuckDbTypesOverSocketsTest extends TypesSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.PROTOBUF, 1);
  }
}
