package io.destkit.duckdb;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.DedupeSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The Dedupe suite with its syncs read over 2 socket(s) as PROTOBUF. */
class DuckDbDedupeOverSocketsTest extends DedupeSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.PROTOBUF, 2);
  }
}
