package io.destkit.postgres;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.TypesSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The Types suite with its syncs read over 1 socket(s) as PROTOBUF. */
class PostgresTypesOverSocketsTest extends TypesSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.PROTOBUF, 1);
  }
}
