package io.destkit.duckdb;

import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.e2e.SocketChannelProcessSuite;

class DuckDbSocketChannelIT extends SocketChannelProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
