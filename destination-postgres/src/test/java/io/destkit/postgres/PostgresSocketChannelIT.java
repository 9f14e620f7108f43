package io.destkit.postgres;

import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.e2e.SocketChannelProcessSuite;

class PostgresSocketChannelIT extends SocketChannelProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }
}
