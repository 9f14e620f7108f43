package io.destkit.duckdb;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.CdcSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The Cdc suite with its syncs read over 2 socket(s) as JSONL. */
class DuckDbCdcOverSocketsTest extends CdcSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.JSONL, 2);
  }
}
