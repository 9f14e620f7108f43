package io.destkit.postgres;

import io.destkit.protocol.DataChannel;
import io.destkit.testkit.DedupeSuite;
import io.destkit.testkit.TestChannel;
import io.destkit.testkit.TestTarget;

/** The Dedupe suite with its syncs read over 3 socket(s) as JSONL. */
class PostgresDedupeOverSocketsTest extends DedupeSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  @Override
  protected TestChannel channel() {
    return TestChannel.sockets(DataChannel.Format.JSONL, 3);
  }
}
